package meshplane.e2e;

import static meshplane.e2e.ClusterE2ETest.await;
import static meshplane.e2e.ClusterE2ETest.meshctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiTarget;
import meshplane.e2e.ClusterE2ETest.Run;
import meshplane.lab.Lab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Quorum loss and {@code swarm init --force-new-cluster}, as Docker's, in a lab of five nodes:
 * node1..node3 the managers (heartbeat 1 s), node4 and node5 daemons in no swarm (the fresh nodes
 * that join afterwards). Two managers are killed for good (SIGKILL, never started again); writes
 * are refused; node1 is forced into a one-manager swarm; its services, their published port
 * (curl from the lab's client) and writes work again; node4 and node5 join as managers. node1's
 * daemon is itself killed and restarted before it is forced: it resumes from its Raft data.
 */
@Tag("e2e")
class QuorumLossE2ETest {
  private static final String LAB = "ql" + ClusterE2ETest.randomSuffix();
  private static final List<String> NODES = List.of("node1", "node2", "node3", "node4", "node5");
  private static Lab lab;
  private static ClusterWitness see;
  private static Thread shutdownHook;
  private static String managerToken;

  @BeforeAll
  static void labUp() {
    shutdownHook = ClusterE2ETest.labDownOnExit(LAB);
    ok(meshctl("lab", "up", "--name", LAB, "--nodes", "5", "--no-swarm"));
    lab = Lab.require(LAB);
    see = new ClusterWitness(lab);
    for (String n : NODES) {
      ok(meshctl("lab", "start", "--name", LAB, n));
    }
    ok(on("node1", "swarm init", "--advertise-addr", see.nodeAddress("node1"), "--heartbeat", "1s"));
    managerToken = ok(on("node1", "swarm join-token", "-q", "manager")).out().strip();
    for (String n : List.of("node2", "node3")) {
      ok(on(n, "swarm join", "--token", managerToken, manager1()));
    }
  }

  @AfterAll
  static void labDown() {
    ClusterE2ETest.labDownNow(LAB, "QuorumLossE2ETest", shutdownHook);
  }


  @Test
  void twoManagersLostForGoodTheThirdForcedIntoANewClusterKeepsServingAndTwoFreshNodesJoinAsManagers() {
    // 3 managers, one leader; a published service answering on every node of the swarm
    String nodes = ok(on("node1", "node ls")).out();
    assertEquals(1, count(nodes, "Leader"), nodes);
    assertEquals(2, count(nodes, "Reachable"), nodes);
    assertTrue(ok(on("node1", "service create", "--name", "web", "--replicas", "3", "-p", "8080:80", "meshplane/whoami"))
        .out().contains("verify: Service converged"));
    for (String n : List.of("node1", "node2", "node3")) {
      await("the published port answers on " + n, 30, () -> see.hostnameFromClient(n, 8080).isPresent() ? null : "no answer");
    }
    String webBefore = webLine(ok(on("node1", "service ls")).out());

    // with a quorum, --force-new-cluster is refused (a follower, which sees the leader confirm its lead)
    Run withQuorum = on("node2", "swarm init", "--force-new-cluster");
    assertNotEquals(0, withQuorum.status(), withQuorum.toString());
    assertTrue(withQuorum.err().contains("the managers have a quorum"), withQuorum.toString());
    Run notInSwarm = on("node4", "swarm init", "--force-new-cluster");
    assertNotEquals(0, notInSwarm.status(), notInSwarm.toString());
    assertTrue(notInSwarm.err().contains("this node is not part of a swarm"), notInSwarm.toString());
    assertEquals(3, ok(on("node1", "node ls")).out().lines().filter(l -> l.contains("Leader") || l.contains("Reachable")).count(),
        "the refusals changed nothing");

    // two managers die for good: no leader, writes refused
    ok(meshctl("lab", "stop", "--name", LAB, "node2", "--kill"));
    ok(meshctl("lab", "stop", "--name", LAB, "node3", "--kill"));
    await("node1 knows no Raft leader", 20, () -> api("node1").get("/v1/info").path("raftLeader").isNull() ? null
        : "leader " + api("node1").get("/v1/info").path("raftLeader"));
    Run refused = on("node1", "network create", "-d", "overlay", "while-no-quorum");
    assertNotEquals(0, refused.status(), refused.toString());
    assertTrue(refused.err().contains("no leader"), "the error says why: " + refused);

    // the survivor's daemon killed and started again: it resumes as a manager of a group with no quorum
    ok(meshctl("lab", "stop", "--name", LAB, "node1", "--kill"));
    ok(meshctl("lab", "start", "--name", LAB, "node1"));
    Run stillRefused = on("node1", "network create", "-d", "overlay", "while-no-quorum");
    assertNotEquals(0, stillRefused.status(), stillRefused.toString());

    // the survivor is forced into a one-manager swarm
    long t0 = System.nanoTime();
    Run forced = ok(on("node1", "swarm init", "--force-new-cluster"));
    long forcedMs = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(forced.out().startsWith("Swarm reset to one manager: current node ("), forced.out());
    assertTrue(forced.out().contains("Demoted to workers, down: node2, node3") || forced.out().contains("Demoted to workers, down: node3, node2"),
        forced.out());
    JsonNode info = api("node1").get("/v1/info");
    assertTrue(info.path("isLeader").asBoolean(), info.toString());

    // its services as before (the tasks of the dead nodes rescheduled on node1), the published port answers, a write succeeds
    await("service ls shows web as before", 60, () -> {
      String now = webLine(ok(on("node1", "service ls")).out());
      return now.equals(webBefore) ? null : "before: " + webBefore + "\nnow:    " + now;
    });
    await("web's 3 tasks run on node1, the tasks of the down nodes rescheduled", 60, () -> {
      List<JsonNode> live = new ArrayList<>();
      api("node1").get("/v1/services/web/tasks").forEach(t -> {
        if (ClusterE2ETest.isRunning(t)) {
          live.add(t);
        }
      });
      return live.size() == 3 && live.stream().allMatch(t -> t.path("nodeHostname").asText().equals("node1")) ? null
          : ClusterE2ETest.describe(live);
    });
    await("the published port answers on node1", 30, () -> see.hostnameFromClient("node1", 8080).isPresent() ? null
        : see.curlFromClient("node1", 8080, 2).output());
    ok(on("node1", "network create", "-d", "overlay", "after-reset"));
    assertFalse(ok(on("node1", "network ls")).out().contains("while-no-quorum"), "the refused write never happened");
    String demoted = ok(on("node1", "node ls")).out();
    for (String n : List.of("node2", "node3")) {
      String line = line(demoted, n);
      assertTrue(line.contains("Down") && !line.contains("Leader") && !line.contains("Reachable") && !line.contains("Unreachable"),
          n + " is a down worker: " + demoted);
    }

    // two fresh nodes join as managers with the manager token the swarm had
    for (String n : List.of("node4", "node5")) {
      Run join = ok(on(n, "swarm join", "--token", managerToken, manager1()));
      assertTrue(join.out().contains("joined a swarm as a manager"), join.out());
    }
    await("node ls shows 3 reachable managers, one the leader", 60, () -> {
      String ls = ok(on("node1", "node ls")).out();
      boolean ok = line(ls, "node1").contains("Leader") && line(ls, "node4").contains("Reachable")
          && line(ls, "node5").contains("Reachable") && count(ls, "Leader") == 1;
      return ok ? null : ls;
    });
    JsonNode peers = api("node4").get("/v1/info");
    assertEquals(see.nodeAddress("node1") + ":2378", peers.path("raftLeader").asText(), peers.toString());
    ok(on("node5", "network create", "-d", "overlay", "via-node5")); // a new manager writes through the leader
    System.out.println("QuorumLossE2ETest: swarm init --force-new-cluster took " + forcedMs + " ms");
  }

  // ---------------------------------------------------------------------------------------------

  private static String manager1() {
    return see.nodeAddress("node1") + ":2377";
  }

  /** The web service's line of {@code service ls} (id, name, mode, replicas, image, ports). */
  private static String webLine(String serviceLs) {
    return line(serviceLs, " web ").replaceAll("\\s+", " ").strip();
  }

  private static Run on(String node, String command, String... rest) {
    List<String> a = new ArrayList<>(List.of(command.split(" ")));
    a.addAll(List.of("--lab", LAB, "--node", node));
    a.addAll(List.of(rest));
    return meshctl(a.toArray(String[]::new));
  }

  private static Run ok(Run r) {
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  private static ApiClient api(String node) {
    return new ApiClient(ApiTarget.unix(Path.of("/run/meshplane", LAB, node + ".sock")));
  }

  private static String line(String table, String key) {
    return table.lines().filter(l -> l.contains(key)).findFirst().orElse("");
  }

  private static int count(String text, String word) {
    return (int) text.lines().filter(l -> l.contains(word)).count();
  }
}
