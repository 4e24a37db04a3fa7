package meshplane.cli;

import static meshplane.cli.MeshctlTest.meshctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import meshplane.cli.MeshctlTest.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Bad input is refused before any request, naming the flag and the rule, with exit status 2. */
@Tag("unit")
class CliUsageErrorsTest {
  FakeApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  void refused(String expected, String... args) {
    Run r = api.meshctl(args);
    assertEquals(2, r.status(), "exit status of " + String.join(" ", args) + ": " + r.err());
    assertTrue(r.err().contains(expected), "expected \"" + expected + "\" in: " + r.err());
    assertTrue(api.requests.isEmpty(), "requests were sent: " + api.requests);
  }

  @Test
  void badPublish() {
    refused("Invalid value for option '--publish'", "service", "create", "--name", "web", "-p", "80800:80", "busybox");
    refused("published port 80800 must be 1-65535", "service", "create", "--name", "web", "-p", "80800:80", "busybox");
    refused("protocol sctp must be tcp or udp", "service", "update", "--publish-add", "80/sctp", "web");
    refused("--publish 8080/tcp is given twice", "service", "create", "--name", "web", "-p", "8080:80", "-p", "8080:81", "busybox");
    refused("--publish cannot be used with --endpoint-mode dnsrr", "service", "create", "--name", "web", "-p", "80", "--endpoint-mode", "dnsrr", "x");
    refused("must be PUBLISHED:TARGET", "publish", "x:80", "web");
    refused("must be PUBLISHED[/tcp|udp]", "unpublish", "8080:80", "web");
  }

  @Test
  void badDurationsMemoryCpuConstraintsEnv() {
    refused("Invalid value for option '--heartbeat': \"5\" is not a duration", "swarm", "init", "--heartbeat", "5");
    refused("--heartbeat 10ms must be at least 100ms", "swarm", "init", "--heartbeat", "10ms");
    refused("--force-new-cluster keeps the swarm's settings: it takes no --heartbeat", "swarm", "init", "--force-new-cluster",
        "--heartbeat", "1s");
    refused("'--restart-delay': \"soon\" is not a duration", "service", "create", "--name", "w", "--restart-delay", "soon", "x");
    refused("'--reserve-memory': \"lots\" is not a size", "service", "create", "--name", "w", "--reserve-memory", "lots", "x");
    refused("'--reserve-cpu'", "service", "create", "--name", "w", "--reserve-cpu", "0.0005", "x");
    refused("'--constraint' (EXPR): \"node.role=manager\" must be KEY==VALUE", "service", "create", "--name", "w", "--constraint", "node.role=manager", "x");
    refused("'--env' (K=V): \"NOVALUE\" must be NAME=VALUE", "service", "create", "--name", "w", "--env", "NOVALUE", "x");
    refused("'--timeout'", "service", "scale", "--timeout", "1", "web=2");
  }

  @Test
  void badModesAndChoices() {
    refused("--replicas can only be used with replicated mode", "service", "create", "--name", "w", "--mode", "global", "--replicas", "2", "x");
    refused("--mode \"both\" must be replicated or global", "service", "create", "--name", "w", "--mode", "both", "x");
    refused("--restart-condition \"always\" must be none, on-failure or any", "service", "create", "--name", "w", "--restart-condition", "always", "x");
    refused("--executor \"lxc\" must be process or docker", "service", "create", "--name", "w", "--executor", "lxc", "x");
    refused("--name \"-bad\"", "service", "create", "--name=-bad", "x");
    refused("Missing required option: '--name=NAME'", "service", "create", "busybox");
    refused("Missing required parameter: 'IMAGE'", "service", "create", "--name", "w");
    refused("replicas x must be a whole number", "service", "scale", "web=x");
    refused("--driver bridge is not supported", "network", "create", "-d", "bridge", "net1");
    refused("--subnet \"10.0.9.1/24\" must be a network address", "network", "create", "--subnet", "10.0.9.1/24", "net1");
    refused("--subnet \"10.0.9/24\" must be an IPv4 CIDR a.b.c.d/len: \"10.0.9\" is not a dotted-quad", "network", "create", "--subnet", "10.0.9/24", "net1");
    refused("--availability \"gone\" must be active, pause or drain", "node", "update", "--availability", "gone", "node1");
    refused("nothing to update", "node", "update", "node1");
    refused("role \"boss\" must be worker or manager", "swarm", "join-token", "boss");
    refused("--advertise-addr \"eth0\" must be an IPv4 address", "swarm", "init", "--advertise-addr", "eth0");
    refused("MANAGER \"198.18.0.1:99999\" must be ADDR or ADDR:PORT", "swarm", "join", "--token", "t", "198.18.0.1:99999");
    refused("Missing required option: '--token=TOKEN'", "swarm", "join", "198.18.0.1");
    refused("--tail \"many\" must be a number of lines or all", "service", "logs", "--tail", "many", "web");
  }

  @Test
  void aGroupWithoutASubcommandSaysWhichThereAre() {
    Run r = meshctl("service");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("a subcommand is missing: create, ls, ps, inspect, scale, update, rm or logs"), r.err());
    assertEquals(2, meshctl("swarm").status());
  }

  @Test
  void badHostIsRefused() {
    Run r = meshctl("service", "ls", "--host", "h:99999");
    assertEquals(2, r.status(), r.err());
    assertTrue(r.err().contains("--host \"h:99999\" must be ADDR or ADDR:PORT"), r.err());
  }

  @Test
  void helpListsTheNewCommands() {
    Run r = meshctl("--help");
    for (String c : new String[] {"swarm", "node", "network", "service", "publish", "unpublish"}) {
      assertTrue(r.out().contains(c), r.out());
    }
  }
}
