package meshplane.e2e;

import static meshplane.e2e.ClusterE2ETest.meshctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiTarget;
import meshplane.e2e.ClusterE2ETest.Run;
import meshplane.lab.HostCommand;
import meshplane.lab.Lab;
import meshplane.node.exec.Folders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The cluster PKI under attack, in a lab of one manager (node1) and two workers. The attacker is
 * first the lab's client namespace, a host on the underlay that holds nothing; then a worker,
 * holding a worker's certificate (node2's own files); then a node removed from the swarm, a
 * stale join token, and a rogue manager with a CA of its own. Every refusal is seen from outside:
 * curl's and openssl's output, and the swarm's state afterwards.
 */
@Tag("e2e")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityE2ETest {
  private static final String LAB = "sc" + ClusterE2ETest.randomSuffix();
  private static final String JOIN_NAME = "join.swarm.meshplane";
  private static Lab lab;
  private static Thread shutdownHook;
  private static Path work;

  @BeforeAll
  static void labUp() throws Exception {
    shutdownHook = ClusterE2ETest.labDownOnExit(LAB);
    Run up = meshctl("lab", "up", "--name", LAB, "--nodes", "3", "--managers", "1", "--heartbeat", "1s");
    assertEquals(0, up.status(), up.toString());
    lab = Lab.require(LAB);
    work = Files.createTempDirectory("mpt-security-e2e");
  }

  @AfterAll
  static void labDown() {
    try {
      ClusterE2ETest.labDownNow(LAB, "SecurityE2ETest", shutdownHook);
    } finally {
      if (work != null) {
        Folders.deleteTree(work);
      }
    }
  }

  // ---------------------------------------------------------------------------------------- 1

  @Test
  @Order(1)
  void withoutACertificateEveryRouteOf2377And2378FailsAtTheHandshake() {
    List<String[]> routes = List.of(new String[] {"GET", "/v1/swarm/join-token/manager"}, new String[] {"GET", "/v1/state"},
        new String[] {"GET", "/v1/services"}, new String[] {"POST", "/v1/services"}, new String[] {"POST", "/v1/swarm/leave"},
        new String[] {"POST", "/v1/agent/heartbeat"}, new String[] {"GET", "/v1/tasks/x/logs"}, new String[] {"GET", "/v1/info"});
    for (String node : List.of("node1", "node2")) {
      for (String[] r : routes) {
        HostCommand.Result c = curlFromClient(List.of("-k", "-X", r[0]), "https://" + addr(node) + ":2377" + r[1]);
        assertNotEquals(0, c.exitCode(), node + " " + r[0] + " " + r[1] + " answered without a certificate: " + c.output());
        assertTrue(c.output().endsWith("000"), "no HTTP status at all: " + c.output());
        assertFalse(c.output().contains("SWMTKN") || c.output().contains("{\""), "nothing of the API leaks: " + c.output());
      }
    }
    // openssl as the witness: the server asks for a certificate and ends the handshake without one
    for (String port : List.of("2377", "2378")) {
      String out = sClient(addr("node1") + ":" + port, List.of());
      assertTrue(out.contains("alert") && (out.contains("certificate required") || out.contains("bad certificate")),
          "node1:" + port + " refuses a peer without a certificate:\n" + out);
      assertFalse(out.contains("SSL-Session:") && out.contains("Verify return code: 0") && !out.contains("alert"), out);
    }
  }

  @Test
  @Order(2)
  void theJoinChannelServesOnlyTheRootAndRegistration() {
    HostCommand.Result ca = curlJoin("GET", "/v1/swarm/ca");
    assertTrue(ca.output().endsWith("200") && ca.output().contains("BEGIN CERTIFICATE"), ca.output());
    for (String path : List.of("/v1/swarm/join-token/worker", "/v1/services", "/v1/state", "/v1/nodes")) {
      HostCommand.Result r = curlJoin("GET", path);
      assertTrue(r.output().endsWith("403") && r.output().contains("not served on the join channel"), path + ": " + r.output());
      assertFalse(r.output().contains("SWMTKN"), r.output());
    }
    HostCommand.Result reg = curlJoin("POST", "/v1/swarm/register");
    assertTrue(reg.output().endsWith("400"), "registering needs a token and a CSR: " + reg.output());
  }

  // ---------------------------------------------------------------------------------------- 2

  @Test
  @Order(3)
  void certificatesNameNodeRoleAndClusterAsOpensslReadsThem() {
    String cluster = api("node1").get("/v1/info").path("clusterId").asText();
    for (String node : List.of("node1", "node2")) {
      String id = nodeId(node);
      Path crt = certs(node).resolve("swarm-node.crt");
      meshplane.testkit.Command.Result x = meshplane.testkit.Command.run(10, "openssl", "x509", "-in", crt.toString(), "-noout",
          "-subject", "-issuer", "-enddate", "-nameopt", "RFC2253");
      assertTrue(x.ok(), x.output());
      String role = node.equals("node1") ? "swarm-manager" : "swarm-worker";
      assertTrue(x.output().contains("subject=CN=" + id + ",OU=" + role + ",O=" + cluster), x.output());
      assertTrue(x.output().contains("issuer=CN=swarm-ca"), x.output());
      Instant notAfter = notAfter(x.output());
      long days = java.time.Duration.between(Instant.now(), notAfter).toDays();
      assertTrue(days >= 89 && days <= 90, "90 days by default: " + notAfter);
      meshplane.testkit.Command.Result v = meshplane.testkit.Command.run(10, "openssl", "verify", "-CAfile",
          certs(node).resolve("swarm-root-ca.crt").toString(), crt.toString());
      assertTrue(v.ok() && v.output().contains(": OK"), v.output());
      Run inspect = ok(mc("node inspect", "--pretty", node));
      assertTrue(inspect.out().contains("Issuer Subject:") && inspect.out().contains("CN=swarm-ca"), inspect.out());
      assertTrue(inspect.out().contains("Certificate Expiry:"), inspect.out());
    }
  }

  @Test
  @Order(4)
  void aWorkerCertificateIsRefusedOnEveryControlRouteAndCannotSpeakForAnotherNode() throws Exception {
    String node2 = nodeId("node2");
    String node3 = nodeId("node3");
    List<String[]> control = List.of(new String[] {"GET", "/v1/services", null}, new String[] {"GET", "/v1/nodes", null},
        new String[] {"GET", "/v1/state", null}, new String[] {"GET", "/v1/swarm/join-token/manager", null},
        new String[] {"POST", "/v1/swarm/join-token/worker/rotate", "{}"},
        new String[] {"POST", "/v1/services", "{\"name\":\"evil\",\"image\":\"/bin/sh\",\"mode\":\"global\"}"},
        new String[] {"POST", "/v1/nodes/" + node3 + "/update", "{\"role\":\"manager\"}"},
        new String[] {"DELETE", "/v1/nodes/" + node3, null}, new String[] {"POST", "/v1/swarm/client-cert", "{}"},
        new String[] {"POST", "/v1/networks", "{\"name\":\"evil\"}"});
    for (String[] r : control) {
      HostCommand.Result c = asNode("node2", "node1", r[0], r[1], r[2]);
      assertTrue(c.output().endsWith("403"), r[0] + " " + r[1] + " with a worker certificate: " + c.output());
      assertTrue(c.output().contains("needs a manager's identity") && c.output().contains("worker node " + node2), c.output());
    }
    assertFalse(ok(mc("service ls")).out().contains("evil"), "nothing was made");
    // the dispatcher's routes take the node from the certificate, never from the body
    HostCommand.Result beat = asNode("node2", "node1", "POST", "/v1/agent/heartbeat", "{\"nodeId\":\"" + node3 + "\"}");
    assertTrue(beat.output().endsWith("403") && beat.output().contains("may beat only for itself"), beat.output());
    HostCommand.Result poll = asNode("node2", "node1", "GET", "/v1/agent/assignment?node=" + node3 + "&timeoutMs=1", null);
    assertTrue(poll.output().endsWith("403") && poll.output().contains("only its own assignment"), poll.output());
    ok(mc("service create", "--name", "pin", "--constraint", "node.hostname==node3", "meshplane/whoami"));
    String task = awaitRunningTask("pin");
    HostCommand.Result report = asNode("node2", "node1", "POST", "/v1/agent/heartbeat", "{\"reports\":[{\"taskId\":\"" + task
        + "\",\"state\":\"FAILED\",\"message\":\"forged\",\"at\":1}]}");
    assertTrue(report.output().endsWith("403") && report.output().contains("may report only its own tasks"), report.output());
    Thread.sleep(2_000);
    assertTrue(ok(mc("service ps", "pin")).out().contains("Running"), "the task still runs");
    // init, join and leave are the local socket's alone, whatever the certificate
    HostCommand.Result leave = asNode("node1", "node1", "POST", "/v1/swarm/leave", "{\"force\":true}");
    assertTrue(leave.output().endsWith("403") && leave.output().contains("local socket"), leave.output());
    // Raft takes managers only: the worker's certificate fails its handshake
    String raft = sClient(addr("node1") + ":2378", List.of("-cert", certs("node2").resolve("swarm-node.crt").toString(),
        "-key", certs("node2").resolve("swarm-node.key").toString()));
    assertTrue(raft.contains("alert"), "a worker's certificate on the Raft port:\n" + raft);
    ok(mc("service rm", "pin"));
  }

  // ---------------------------------------------------------------------------------------- 3

  @Test
  @Order(5)
  void aRemovedNodesCertificateIsRefusedAndAStaleTokenAdmitsNoOne() throws Exception {
    String node3 = nodeId("node3");
    Path kept = work.resolve("node3-certificates");
    copyTree(certs("node3"), kept);
    ok(meshctl("swarm", "leave", "--lab", LAB, "--node", "node3"));
    awaitNodeLine("node3", "Down");
    ok(mc("node rm", "node3"));
    HostCommand.Result beat = curlFromClient(tls(kept.resolve("swarm-node.crt"), kept.resolve("swarm-node.key"),
        kept.resolve("swarm-root-ca.crt"), "swarm-manager", "node1", "POST", "{}"), "https://swarm-manager:2377/v1/agent/heartbeat");
    assertTrue(beat.output().endsWith("403") && beat.output().contains("removed from the swarm"), beat.output());

    String old = ok(mc("swarm join-token", "-q", "worker")).out().strip();
    Run rotated = ok(mc("swarm join-token", "--rotate", "worker"));
    assertTrue(rotated.out().contains("Successfully rotated worker join token."), rotated.out());
    String fresh = ok(mc("swarm join-token", "-q", "worker")).out().strip();
    assertNotEquals(old, fresh);
    assertEquals(old.substring(0, 60), fresh.substring(0, 60), "the same root's digest: " + old + " " + fresh);
    Run stale = meshctl("swarm", "join", "--lab", LAB, "--node", "node3", "--token", old, addr("node1") + ":2377");
    assertNotEquals(0, stale.status(), stale.toString());
    assertTrue(stale.err().contains("not a valid join token of this swarm"), stale.toString());
    Thread.sleep(3_000); // three heartbeats: node2, joined before the rotation, is unaffected
    assertTrue(nodeLine("node2").contains("Ready"), ok(mc("node ls")).out());
    ok(meshctl("swarm", "join", "--lab", LAB, "--node", "node3", "--token", fresh, addr("node1") + ":2377"));
    awaitNodeLine("node3", "Ready");
    assertNotEquals(node3, nodeId("node3"), "a node that joins again is a new node");
  }

  @Test
  @Order(6)
  void aRogueManagerWithACaOfItsOwnIsRefusedAtJoin() {
    String token = ok(mc("swarm join-token", "-q", "worker")).out().strip();
    ok(meshctl("swarm", "leave", "--lab", LAB, "--node", "node3"));
    ok(meshctl("swarm", "init", "--lab", LAB, "--node", "node3", "--advertise-addr", addr("node3")));
    ok(meshctl("swarm", "leave", "--lab", LAB, "--node", "node2"));
    Run rogue = meshctl("swarm", "join", "--lab", LAB, "--node", "node2", "--token", token, addr("node3") + ":2377");
    assertNotEquals(0, rogue.status(), rogue.toString());
    assertTrue(rogue.err().contains("shows a CA that is not the one the join token names"), rogue.toString());
    assertTrue(api("node2").get("/v1/info").path("clusterId").isNull(), "node2 joined nothing");
    ok(meshctl("swarm", "leave", "--lab", LAB, "--node", "node3", "--force"));
    ok(meshctl("swarm", "join", "--lab", LAB, "--node", "node2", "--token", token, addr("node1") + ":2377"));
    ok(meshctl("swarm", "join", "--lab", LAB, "--node", "node3", "--token", token, addr("node1") + ":2377"));
    awaitNodeLine("node2", "Ready");
    awaitNodeLine("node3", "Ready");
  }

  // ---------------------------------------------------------------------------------------- 4

  /**
   * {@code swarm ca --rotate} while the published port is probed from the client: every node
   * moves to the new root (its certificate renewed, then the old root dropped), the probe never
   * fails, the join tokens name the new root with their secrets kept, and a certificate of the old
   * root is nobody's any more.
   */
  @Test
  @Order(7)
  void aRootRotationMovesEveryNodeWhileThePublishedPortAnswers() throws Exception {
    Run created = ok(mc("service create", "--name", "probe", "--replicas", "2", "-p", "8081:80", "meshplane/whoami"));
    assertTrue(created.out().contains("verify: Service converged"), created.out());
    awaitPortOnEveryNode(8081);
    Path old = work.resolve("node2-before-rotation");
    copyTree(certs("node2"), old);
    String tokenBefore = ok(mc("swarm join-token", "-q", "worker")).out().strip();
    String oldRoot = ok(mc("swarm ca")).out();
    // bounded: 1,200 probes at most, 50 ms apart, each 2 s at most; stopped once the rotation is seen through
    String loop = "i=0; while [ $i -lt 1200 ]; do for k in 1 2 3; do curl -s -o /dev/null -m 2 -w '%{http_code}\\n' "
        + "http://198.18.0.$k:8081/; done; i=$((i+1)); sleep 0.05; done";
    Process probe = new ProcessBuilder("ip", "netns", "exec", lab.client().namespace(), "timeout", "180", "sh", "-c", loop)
        .redirectErrorStream(true).start();
    java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
    Thread reader = new Thread(() -> {
      try {
        probe.getInputStream().transferTo(seen);
      } catch (java.io.IOException ignored) {
        // the probe ended
      }
    });
    reader.start();
    long took;
    try {
      Thread.sleep(1_000);
      long t0 = System.nanoTime();
      Run rotate = ok(mc("swarm ca", "--rotate", "--timeout", "120s"));
      took = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(rotate.out().contains("rotating the root CA"), rotate.out());
      Thread.sleep(2_000);
    } finally {
      probe.destroy();
      probe.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      reader.join(5_000);
    }
    List<String> codes = seen.toString().lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    long failed = codes.stream().filter(c -> !c.equals("200")).count();
    assertTrue(codes.size() > 30, "the probe ran: " + codes.size());
    assertEquals(0, failed, "probes of 8081 during the rotation: " + codes.size() + ", failed " + failed + ": " + codes);
    System.out.println("SecurityE2ETest measured: swarm ca --rotate done in " + took + " ms; probes of 8081 on the 3 nodes: "
        + codes.size() + ", failed " + failed);

    String newRoot = ok(mc("swarm ca")).out();
    assertNotEquals(oldRoot, newRoot);
    for (String node : List.of("node1", "node2", "node3")) {
      meshplane.testkit.Command.Result issuer = meshplane.testkit.Command.run(10, "openssl", "x509", "-in",
          certs(node).resolve("swarm-node.crt").toString(), "-noout", "-issuer", "-nameopt", "RFC2253");
      assertTrue(issuer.output().contains("issuer=CN=swarm-ca-"), node + " holds the new root's certificate: " + issuer.output());
      awaitTrustingOneRoot(node);
      meshplane.testkit.Command.Result v = meshplane.testkit.Command.run(10, "openssl", "verify", "-CAfile",
          certs(node).resolve("swarm-root-ca.crt").toString(), certs(node).resolve("swarm-node.crt").toString());
      assertTrue(v.ok(), node + ": " + v.output());
    }
    String tokenAfter = ok(mc("swarm join-token", "-q", "worker")).out().strip();
    assertNotEquals(tokenBefore.substring(9, 59), tokenAfter.substring(9, 59), "the token names the new root");
    assertEquals(tokenBefore.substring(60), tokenAfter.substring(60), "its secret is kept");
    // node2's certificate of the old root fails the handshake now
    HostCommand.Result stale = curlFromClient(tls(old.resolve("swarm-node.crt"), old.resolve("swarm-node.key"),
        old.resolve("swarm-root-ca.crt"), "swarm-manager", "node1", "POST", "{}"), "https://swarm-manager:2377/v1/agent/heartbeat");
    assertTrue(stale.output().endsWith("000"), "a certificate of the old root: " + stale.output());
    // and the swarm goes on: every node ready, a write converges
    for (String n : List.of("node1", "node2", "node3")) {
      awaitNodeLine(n, "Ready");
    }
    ok(mc("service scale", "probe=3"));
    ok(mc("service rm", "probe"));
  }

  // ------------------------------------------------------------------------------- helpers

  static Run ok(Run r) {
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  static Run mc(String command, String... rest) {
    List<String> a = new ArrayList<>(List.of(command.split(" ")));
    a.addAll(List.of("--lab", LAB, "--node", "node1"));
    a.addAll(List.of(rest));
    return meshctl(a.toArray(String[]::new));
  }

  static ApiClient api(String node) {
    return new ApiClient(ApiTarget.unix(Path.of("/run/meshplane", LAB, node + ".sock")));
  }

  static String addr(String node) {
    return lab.host(node).underlayAddress();
  }

  static Path certs(String node) {
    return Path.of("/run/meshplane", LAB, node, "certificates");
  }

  static String nodeId(String hostname) {
    for (JsonNode n : api("node1").get("/v1/nodes")) {
      if (n.path("hostname").asText().equals(hostname)) {
        return n.path("id").asText();
      }
    }
    throw new AssertionError("no node " + hostname);
  }

  static String nodeLine(String hostname) {
    return ok(mc("node ls")).out().lines().filter(l -> l.contains(" " + hostname + " ")).findFirst().orElse("");
  }

  static void awaitNodeLine(String hostname, String word) {
    long end = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < end) {
      if (nodeLine(hostname).contains(word)) {
        return;
      }
      sleep(300);
    }
    throw new AssertionError(hostname + " never " + word + ": " + ok(mc("node ls")).out());
  }

  /** Until {@code node} trusts one root (it drops the old one as its assignment shows the rotation done), 30 s at most. */
  static void awaitTrustingOneRoot(String node) throws java.io.IOException {
    long end = System.currentTimeMillis() + 30_000;
    int roots = -1;
    while (System.currentTimeMillis() < end) {
      roots = Files.readString(certs(node).resolve("swarm-root-ca.crt")).split("BEGIN CERTIFICATE", -1).length - 1;
      if (roots == 1) {
        return;
      }
      sleep(300);
    }
    String log = Files.readAllLines(Path.of("/run/meshplane", LAB, node + ".log")).stream()
        .filter(l -> l.contains("root") || l.contains("renew") || l.contains("trust") || l.contains("WARN")).toList().toString();
    throw new AssertionError(node + " still trusts " + roots + " roots; its log: " + log);
  }

  /** Until every node answers {@code port} from the client (the routing mesh programmed everywhere), 30 s at most. */
  static void awaitPortOnEveryNode(int port) {
    long end = System.currentTimeMillis() + 30_000;
    String last = "";
    while (System.currentTimeMillis() < end) {
      boolean all = true;
      for (String n : List.of("node1", "node2", "node3")) {
        HostCommand.Result r = curlFromClient(List.of("-o", "/dev/null"), "http://" + addr(n) + ":" + port + "/");
        last = n + ": " + r.output();
        all &= r.output().endsWith("200");
      }
      if (all) {
        return;
      }
      sleep(300);
    }
    throw new AssertionError(port + " does not answer on every node: " + last);
  }

  static String awaitRunningTask(String service) {
    long end = System.currentTimeMillis() + 60_000;
    while (System.currentTimeMillis() < end) {
      for (JsonNode t : api("node1").get("/v1/services/" + service + "/tasks")) {
        if (t.path("state").asText().equals("RUNNING")) {
          return t.path("id").asText();
        }
      }
      sleep(300);
    }
    throw new AssertionError(service + " has no running task: " + api("node1").get("/v1/services/" + service + "/tasks"));
  }

  /** curl from the lab's client namespace: the body, then the HTTP status on the last line ("000": none). */
  static HostCommand.Result curlFromClient(List<String> options, String url) {
    List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--path-as-is", "--connect-timeout", "3", "-m", "8",
        "-w", "\n%{http_code}"));
    argv.addAll(options);
    argv.add(url);
    return HostCommand.run(lab.client(), 20, argv);
  }

  /** curl's options for a TLS call with {@code cert}/{@code key}, the server checked as {@code serverName} at {@code node}. */
  static List<String> tls(Path cert, Path key, Path ca, String serverName, String node, String method, String body) {
    List<String> o = new ArrayList<>(List.of("--cacert", ca.toString(), "--cert", cert.toString(), "--key", key.toString(),
        "--connect-to", serverName + ":2377:" + addr(node) + ":2377", "-X", method));
    if (body != null) {
      o.addAll(List.of("-H", "Content-Type: application/json", "--data", body));
    }
    return o;
  }

  /** A call to {@code target}'s manager API with {@code asNode}'s own certificate files. */
  static HostCommand.Result asNode(String asNode, String target, String method, String path, String body) {
    Path c = certs(asNode);
    return curlFromClient(tls(c.resolve("swarm-node.crt"), c.resolve("swarm-node.key"), c.resolve("swarm-root-ca.crt"),
        "swarm-manager", target, method, body), "https://swarm-manager:2377" + path);
  }

  /** A call on the join channel (SNI join.swarm.meshplane), with no certificate. */
  static HostCommand.Result curlJoin(String method, String path) {
    return curlFromClient(List.of("-k", "-X", method, "--connect-to", JOIN_NAME + ":2377:" + addr("node1") + ":2377"),
        "https://" + JOIN_NAME + ":2377" + path);
  }

  /**
   * {@code openssl s_client} from the client namespace, TLS 1.3, waiting (-ign_eof) until the
   * server ends the connection: a refusal's alert comes after the client's Finished in 1.3.
   */
  static String sClient(String hostPort, List<String> extra) {
    List<String> argv = new ArrayList<>(List.of("sh", "-c", "exec timeout 15 openssl s_client -connect " + hostPort
        + " -tls1_3 -brief -ign_eof " + String.join(" ", extra) + " </dev/null 2>&1"));
    return HostCommand.run(lab.client(), 20, argv).output();
  }

  static Instant notAfter(String x509Output) {
    String line = x509Output.lines().filter(l -> l.startsWith("notAfter=")).findFirst().orElseThrow();
    String date = line.substring("notAfter=".length()).replaceAll("\\s+", " ").trim();
    return java.time.ZonedDateTime.parse(date, DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy z", Locale.ENGLISH)
        .withZone(ZoneOffset.UTC)).toInstant();
  }

  static void copyTree(Path from, Path to) throws java.io.IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
