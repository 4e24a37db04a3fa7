package meshplane.cli;

import static meshplane.cli.MeshctlTest.meshctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.AtomicInteger;
import meshplane.cli.MeshctlTest.Run;
import meshplane.cluster.api.ApiClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The requests meshctl sends (paths and JSON bodies) and what it prints, against a stand-in API. */
@Tag("unit")
class CliRequestsTest {
  FakeApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  static JsonNode json(String s) throws Exception {
    return ApiClient.JSON.readTree(s);
  }

  @Test
  void serviceCreateSendsTheServiceSpecAndPassesTheCommandsArgsThrough() throws Exception {
    api.answer("POST /v1/services", "{\"id\":\"svc0123456789abcdefghijkl\",\"name\":\"web\"}");
    Run r = meshctl("service", "create", "--host", api.host(), "--name", "web", "--replicas", "3",
        "-p", "8080:80", "--publish", "53/udp", "--network", "front", "--network", "back",
        "--constraint", "node.labels.zone==a", "--reserve-cpu", "0.5", "--reserve-memory", "64M",
        "--env", "A=1", "-e", "B=x=y", "--restart-condition", "on-failure", "--restart-delay", "1s",
        "--restart-max-attempts", "4", "--endpoint-mode", "vip", "--executor", "process", "-d",
        "busybox", "httpd", "-f", "-p", "80", "--detach");
    assertEquals(0, r.status(), r.err());
    assertEquals("svc0123456789abcdefghijkl\n", r.out());
    JsonNode b = json(api.only("POST", "/v1/services").body());
    assertEquals(json("""
        {"name":"web","mode":"REPLICATED","replicas":3,"networks":["front","back"],
         "ports":[{"protocol":"tcp","published":8080,"target":80,"mode":"ingress"},
                  {"protocol":"udp","published":0,"target":53,"mode":"ingress"}],
         "endpointMode":"vip","constraints":["node.labels.zone==a"],"cpus":500,"memory":67108864,
         "env":{"A":"1","B":"x=y"},"image":"busybox","command":["httpd","-f","-p","80","--detach"],
         "restart":{"condition":"on-failure","delayMillis":1000,"maxAttempts":4},"executor":"process"}"""), b);
  }

  @Test
  void serviceCreateGlobalHasNoReplicasAndDefaults() throws Exception {
    api.answer("POST /v1/services", "{\"id\":\"g1\",\"name\":\"mon\"}");
    Run r = meshctl("service", "create", "-H", api.host(), "--name", "mon", "--mode", "global", "-d", "meshplane/whoami");
    assertEquals(0, r.status(), r.err());
    JsonNode b = json(api.only("POST", "/v1/services").body());
    assertEquals("GLOBAL", b.get("mode").asText());
    assertEquals(0, b.get("replicas").asInt());
    assertEquals("any", b.get("restart").get("condition").asText());
    assertEquals(5000, b.get("restart").get("delayMillis").asLong());
    assertEquals(0, b.get("command").size());
  }

  @Test
  void serviceCreateWaitsForConvergenceAndPrintsProgress() {
    api.answer("POST /v1/services", "{\"id\":\"s1\",\"name\":\"web\"}");
    api.answer("GET /v1/services/web", "{\"id\":\"s1\",\"version\":1,\"spec\":{\"name\":\"web\",\"mode\":\"REPLICATED\",\"replicas\":2}}");
    AtomicInteger polls = new AtomicInteger();
    api.answer("GET /v1/services/web/tasks", () -> polls.incrementAndGet() < 2
        ? "[" + task("t1", 1, "STARTING") + "," + task("t2", 2, "PENDING") + "]"
        : "[" + task("t1", 1, "RUNNING") + "," + task("t2", 2, "RUNNING") + "]");
    Run r = meshctl("service", "create", "--host", api.host(), "--name", "web", "--replicas", "2", "busybox");
    assertEquals(0, r.status(), r.err());
    assertTrue(r.out().startsWith("s1\noverall progress: 0 out of 2 tasks\n1/2: starting"), r.out());
    assertTrue(r.out().contains("overall progress: 2 out of 2 tasks\n1/2: running"), r.out());
    assertTrue(r.out().endsWith("verify: Service converged\n"), r.out());
  }

  @Test
  void serviceCreateReportsAFailedTaskAndExits1() {
    api.answer("POST /v1/services", "{\"id\":\"s1\",\"name\":\"web\"}");
    api.answer("GET /v1/services/web", "{\"id\":\"s1\",\"version\":1,\"spec\":{\"name\":\"web\",\"replicas\":1}}");
    api.answer("GET /v1/services/web/tasks", "[{\"id\":\"t1\",\"slot\":1,\"serviceVersion\":1,\"desired\":\"RUNNING\","
        + "\"state\":\"REJECTED\",\"message\":\"executable not found: nosuch\",\"createdAt\":1}]");
    Run r = meshctl("service", "create", "--host", api.host(), "--name", "web", "nosuch");
    assertEquals(1, r.status());
    assertTrue(r.out().contains("verify: Service did not converge: 1/1: task rejected: executable not found: nosuch"), r.out());
  }

  static String task(String id, int slot, String state) {
    return "{\"id\":\"" + id + "\",\"serviceId\":\"s1\",\"serviceName\":\"web\",\"serviceVersion\":1,\"slot\":" + slot
        + ",\"nodeId\":\"n1\",\"desired\":\"RUNNING\",\"state\":\"" + state + "\",\"createdAt\":10}";
  }

  @Test
  void serviceUpdateSendsOnlyTheChangedFieldsWithTheirWholeNewValues() throws Exception {
    api.answer("GET /v1/services/web", """
        {"id":"s1","version":2,"spec":{"name":"web","mode":"REPLICATED","replicas":2,"image":"busybox",
         "env":{"A":"1","B":"2"},"constraints":["node.role==worker"],
         "ports":[{"protocol":"tcp","published":8080,"target":80,"mode":"ingress"}],"command":["httpd"]}}""");
    api.answer("POST /v1/services/web/update", "{}");
    Run r = api.meshctl("service", "update", "--replicas", "3", "--env-add", "C=3", "--env-rm", "A",
        "--constraint-rm", "node.role==worker", "--constraint-add", "node.labels.zone==b",
        "--publish-rm", "8080", "--publish-add", "9090:90/udp", "--args", "httpd -f -p '90'", "-d", "web");
    assertEquals(0, r.status(), r.err());
    assertEquals(json("""
        {"replicas":3,"env":{"B":"2","C":"3"},"constraints":["node.labels.zone==b"],
         "ports":[{"protocol":"udp","published":9090,"target":90,"mode":"ingress"}],
         "command":["httpd","-f","-p","90"]}"""), json(api.only("POST", "/v1/services/web/update").body()));
    assertEquals("web\n", r.out());
  }

  @Test
  void serviceUpdateRefusesRemovingWhatIsNotThere() {
    api.answer("GET /v1/services/web", "{\"id\":\"s1\",\"spec\":{\"name\":\"web\",\"mode\":\"GLOBAL\",\"ports\":[]}}");
    Run r = api.meshctl("service", "update", "--publish-rm", "8080", "web");
    assertEquals(2, r.status());
    assertTrue(r.err().contains("--publish-rm 8080/tcp: service web does not publish it"), r.err());
    Run g = api.meshctl("service", "update", "--replicas", "2", "web");
    assertEquals(2, g.status());
    assertTrue(g.err().contains("--replicas cannot be used with global service web"), g.err());
    assertTrue(api.requests.stream().noneMatch(x -> x.method().equals("POST")));
  }

  @Test
  void scalePublishUnpublishAndLogs() throws Exception {
    api.answer("POST /v1/services/web/scale", "{}");
    assertEquals(0, api.meshctl("service", "scale", "-d", "web=5").status());
    assertEquals(json("{\"replicas\":5}"), json(api.only("POST", "/v1/services/web/scale").body()));

    api.answer("POST /v1/services/web/publish", "{\"published\":30001,\"target\":80,\"protocol\":\"tcp\"}");
    Run p = api.meshctl("publish", "80", "web");
    assertEquals("web: published *:30001->80/tcp\n", p.out());
    assertEquals(json("{\"target\":80,\"protocol\":\"tcp\"}"), json(api.only("POST", "/v1/services/web/publish").body()));

    api.answer("POST /v1/services/api/publish", "30002");
    assertEquals("api: published *:30002->80/udp\n", api.meshctl("publish", "8080:80/udp", "api").out()); // the port the answer names
    assertEquals(json("{\"published\":8080,\"target\":80,\"protocol\":\"udp\"}"), json(api.only("POST", "/v1/services/api/publish").body()));

    api.answer("POST /v1/services/web/unpublish", "{}");
    assertEquals("web: unpublished 8080/tcp\n", api.meshctl("unpublish", "8080", "web").out());
    assertEquals(json("{\"published\":8080,\"protocol\":\"tcp\"}"), json(api.only("POST", "/v1/services/web/unpublish").body()));

    api.answer("GET /v1/services/web/logs", "web.1.abc@node1    | hello\n");
    Run l = api.meshctl("service", "logs", "--tail", "10", "web");
    assertEquals("web.1.abc@node1    | hello\n", l.out());
    assertEquals("follow=false&tail=10", api.only("GET", "/v1/services/web/logs").query());
  }

  @Test
  void swarmAndNodeAndNetworkBodies() throws Exception {
    api.answer("POST /v1/swarm/init", "{\"clusterId\":\"c\",\"nodeId\":\"n1\",\"workerToken\":\"SWMTKN-1-c-w\","
        + "\"managerToken\":\"SWMTKN-1-c-m\",\"manager\":\"198.18.0.1:2377\"}");
    Run i = api.meshctl("swarm", "init", "--advertise-addr", "198.18.0.1", "--heartbeat", "1s");
    assertEquals(0, i.status(), i.err());
    assertEquals(json("{\"advertiseAddr\":\"198.18.0.1\",\"heartbeatMillis\":1000}"), json(api.only("POST", "/v1/swarm/init").body()));
    assertTrue(i.out().startsWith("Swarm initialized: current node (n1) is now a manager."), i.out());
    assertTrue(i.out().contains("    meshctl swarm join --token SWMTKN-1-c-w 198.18.0.1:2377\n"), i.out());
    assertTrue(i.out().contains("meshctl swarm join-token manager"), i.out());

    api.answer("POST /v1/swarm/init", "{\"clusterId\":\"c\",\"nodeId\":\"n1\",\"manager\":\"198.18.0.1:2377\","
        + "\"raftPeers\":[\"198.18.0.1:2378\"],\"demoted\":[\"node2\",\"node3\"]}");
    Run f = api.meshctl("swarm", "init", "--force-new-cluster");
    assertEquals(0, f.status(), f.err());
    assertEquals(json("{\"advertiseAddr\":null,\"forceNewCluster\":true}"), json(api.last("POST", "/v1/swarm/init").body()));
    assertTrue(f.out().startsWith("Swarm reset to one manager: current node (n1) is its only manager"), f.out());
    assertTrue(f.out().contains("Demoted to workers, down: node2, node3 (meshctl node rm removes them)."), f.out());

    api.answer("POST /v1/swarm/join", "{\"nodeId\":\"n2\",\"role\":\"WORKER\"}");
    Run j = api.meshctl("swarm", "join", "--token", "SWMTKN-1-c-w", "198.18.0.1");
    assertEquals("This node joined a swarm as a worker.\n", j.out());
    assertEquals(json("{\"token\":\"SWMTKN-1-c-w\",\"remote\":\"198.18.0.1:2377\"}"), json(api.only("POST", "/v1/swarm/join").body()));

    api.answer("GET /v1/swarm/join-token/manager", "{\"role\":\"manager\",\"token\":\"SWMTKN-1-c-m\",\"command\":\"meshctl swarm join --token SWMTKN-1-c-m 198.18.0.1:2377\"}");
    assertEquals("SWMTKN-1-c-m\n", api.meshctl("swarm", "join-token", "-q", "manager").out());

    api.answer("POST /v1/swarm/leave", "{}");
    api.meshctl("swarm", "leave", "--force");
    assertEquals(json("{\"force\":true}"), json(api.only("POST", "/v1/swarm/leave").body()));

    api.answer("POST /v1/nodes/node2/update", "{}");
    assertEquals(0, api.meshctl("node", "update", "--availability", "drain", "--label-add", "zone=a", "--label-add", "ssd", "--label-rm", "old", "node2").status());
    assertEquals(json("{\"availability\":\"drain\",\"labelAdd\":{\"zone\":\"a\",\"ssd\":\"\"},\"labelRm\":[\"old\"]}"),
        json(api.requests.get(api.requests.size() - 1).body()));
    Run pr = api.meshctl("node", "promote", "node2");
    assertEquals("Node node2 promoted to a manager in the swarm.\n", pr.out());
    assertEquals(json("{\"role\":\"manager\"}"), json(api.requests.get(api.requests.size() - 1).body()));

    api.answer("DELETE /v1/nodes/node3", "{}");
    api.meshctl("node", "rm", "--force", "node3");
    assertEquals("force=true", api.only("DELETE", "/v1/nodes/node3").query());

    api.answer("POST /v1/networks", "{\"id\":\"front\",\"name\":\"front\",\"vni\":4097,\"subnet\":\"10.0.9.0/24\"}");
    Run n = api.meshctl("network", "create", "-d", "overlay", "--subnet", "10.0.9.0/24", "front");
    assertEquals("front\n", n.out());
    assertEquals(json("{\"name\":\"front\",\"driver\":\"overlay\",\"subnet\":\"10.0.9.0/24\"}"), json(api.only("POST", "/v1/networks").body()));
  }

  @Test
  void anApiErrorIsPrintedWithExit1AndRmGoesOnAfterOne() {
    api.answer("DELETE /v1/services/a", "{}");
    api.answer("DELETE /v1/services/b", "!404 {\"error\":\"no such service: b\",\"field\":\"name\"}");
    api.answer("DELETE /v1/services/c", "{}");
    Run r = api.meshctl("service", "rm", "a", "b", "c");
    assertEquals(1, r.status());
    assertEquals("a\nc\n", r.out());
    assertTrue(r.err().contains("meshctl: service b: no such service: b"), r.err());
    api.answer("POST /v1/networks", "!409 {\"error\":\"network name front is taken\",\"field\":\"name\"}");
    Run n = api.meshctl("network", "create", "front");
    assertEquals(1, n.status());
    assertEquals("meshctl: network name front is taken\n", n.err());
  }
}
