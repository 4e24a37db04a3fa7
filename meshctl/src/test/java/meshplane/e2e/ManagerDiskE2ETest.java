package meshplane.e2e;

import static meshplane.e2e.ClusterE2ETest.await;
import static meshplane.e2e.ClusterE2ETest.describe;
import static meshplane.e2e.ClusterE2ETest.isRunning;
import static meshplane.e2e.ClusterE2ETest.line;
import static meshplane.e2e.ClusterE2ETest.meshctl;
import static meshplane.e2e.ClusterE2ETest.stream;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiTarget;
import meshplane.e2e.ClusterE2ETest.Run;
import meshplane.lab.HostCommand;
import meshplane.lab.Lab;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.Tmpfs;
import meshplane.testkit.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A manager's disk and Raft data in trouble, on real labs with daemons: its Raft folder on a
 * small tmpfs of its own filled to the last byte (writes refused with 507 naming the folder and
 * the manager, reads and the published port going on, writes back once the file is deleted, the
 * same daemon), and a follower manager whose snapshot is torn (it starts, refuses its manager
 * role naming the file, its tasks and published port go on, and the cluster keeps serving).
 * Each lab is removed afterwards, pass or fail, the extra tmpfs first.
 */
@Tag("e2e")
class ManagerDiskE2ETest {
  private static final long RAFT_TMPFS_BYTES = 48L << 20;

  /**
   * The hard case: the only manager's disk is full, so no other manager can take the writes.
   * node1 (the manager) and node2 (a worker) serve a published port throughout.
   */
  @Test
  void aFullDiskOnTheOnlyManagerRefusesWritesKeepsReadsAndTrafficAndRecovers() throws Exception {
    String lab = "td" + suffix();
    Path raft = Path.of("/run/meshplane", lab, "node1", "raft");
    String tmpfs = "meshplane-" + lab + "-raft";
    try {
      ok(meshctl("lab", "up", "--name", lab, "--nodes", "2", "--managers", "1", "--heartbeat", "1s"));
      ok(mc(lab, "node1", "service create", "--name", "web", "--replicas", "2", "-p", "8080:80", "meshplane/whoami"));
      awaitRunning(lab, "node1", "web", 2);
      Lab l = Lab.require(lab);
      awaitServes(l, "8080 before", List.of("node1", "node2"));

      // node1's Raft folder moves onto a tmpfs of its own (inside the lab's, so lab down removes it too)
      ok(meshctl("lab", "stop", "--name", lab, "node1"));
      Path aside = raft.resolveSibling("raft.aside");
      sh("mv " + raft + " " + aside);
      assertTrue(Tmpfs.mount(tmpfs, raft, RAFT_TMPFS_BYTES));
      sh("cp -a " + aside + "/. " + raft + "/ && rm -rf " + aside);
      ok(meshctl("lab", "start", "--name", lab, "node1"));
      await("node1 leads again", 60, () -> line(mc(lab, "node1", "node ls").out(), "node1").contains("Leader") ? null : "not yet");
      awaitRunning(lab, "node1", "web", 2);
      long pid = daemonPid(lab, "node1");

      fill(raft);
      long free = Files.getFileStore(raft).getUsableSpace();
      assertTrue(free < 1 << 20, "the tmpfs is full: " + free + " bytes free");

      // a write is refused, naming the disk and the manager; the state does not move
      long index = api(lab, "node1").get("/v1/state").path("index").asLong();
      Run scale = mc(lab, "node1", "service scale", "web=3");
      assertNotEquals(0, scale.status(), scale.toString());
      String expected = noSpace(raft);
      assertTrue(scale.toString().contains(expected), scale.toString());
      ApiException e = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
          () -> api(lab, "node1").post("/v1/services/web/scale", Map.of("replicas", 3)));
      assertEquals(507, e.status(), e.getMessage());
      assertTrue(e.getMessage().contains(expected), e.getMessage());
      // reads go on, and so does the data plane on both nodes
      Run ls = ok(mc(lab, "node1", "service ls"));
      assertTrue(line(ls.out(), "web").contains("2/2"), ls.out());
      assertTrue(line(ok(mc(lab, "node1", "node ls")).out(), "node2").contains("Ready"));
      awaitServes(l, "8080 while the disk is full", List.of("node1", "node2"));
      assertEquals(index, api(lab, "node1").get("/v1/state").path("index").asLong(), "nothing was appended");

      // space returns: the same daemon takes writes again, without a restart
      Files.delete(raft.resolve("fill"));
      await("a write succeeds once space returns", 20, () -> {
        Run r = mc(lab, "node1", "service scale", "web=3");
        return r.status() == 0 ? null : r.toString();
      });
      awaitRunning(lab, "node1", "web", 3);
      assertEquals(pid, daemonPid(lab, "node1"), "the same daemon, never restarted");
      awaitServes(l, "8080 after", List.of("node1", "node2"));
    } finally {
      tearDown(lab, "node1", tmpfs, raft);
    }
  }

  /**
   * Three managers, the leader's disk full (its Raft folder on a tmpfs of its own from before
   * swarm init, so it is the founding leader): its first write is refused naming its disk, it
   * hands its leadership on, and writes through it (forwarded) succeed on the new leader. As a
   * follower it cannot append, and jraft stops its store; once the file is deleted the daemon
   * restarts its store from its data, it catches up, and it is a reachable manager again.
   */
  @Test
  void aFullDiskOnTheLeaderOfThreeHandsLeadershipOnAndTheManagerRecoversWhenSpaceReturns() throws Exception {
    String lab = "tl" + suffix();
    Path raft = Path.of("/run/meshplane", lab, "node1", "raft");
    String tmpfs = "meshplane-" + lab + "-raft";
    List<String> nodes = List.of("node1", "node2", "node3");
    try {
      ok(meshctl("lab", "up", "--name", lab, "--nodes", "3", "--no-swarm"));
      ok(meshctl("lab", "start", "--name", lab, "node1")); // mounts the lab's tmpfs: node1's raft tmpfs goes inside it
      assertTrue(Tmpfs.mount(tmpfs, raft, RAFT_TMPFS_BYTES));
      ok(meshctl("lab", "start", "--name", lab, "node2"));
      ok(meshctl("lab", "start", "--name", lab, "node3"));
      ok(mc(lab, "node1", "swarm init", "--advertise-addr", "198.18.0.1", "--heartbeat", "1s"));
      String token = ok(mc(lab, "node1", "swarm join-token", "-q", "manager")).out().strip();
      ok(mc(lab, "node2", "swarm join", "--token", token, "198.18.0.1:2377"));
      ok(mc(lab, "node3", "swarm join", "--token", token, "198.18.0.1:2377"));
      ok(mc(lab, "node1", "service create", "--name", "web", "--replicas", "3", "-p", "8080:80", "meshplane/whoami"));
      awaitRunning(lab, "node1", "web", 3);
      Lab l = Lab.require(lab);
      awaitServes(l, "8080 before", nodes);
      assertTrue(line(ok(mc(lab, "node1", "node ls")).out(), "node1").contains("Leader"));
      long pid = daemonPid(lab, "node1");

      fill(raft);
      Run refused = mc(lab, "node1", "service scale", "web=4", "--detach");
      assertNotEquals(0, refused.status(), refused.toString());
      assertTrue(refused.toString().contains(noSpace(raft)), refused.toString());
      await("a write through node2 succeeds on another leader", 30, () -> {
        Run r = mc(lab, "node2", "service scale", "web=4", "--detach");
        return r.status() == 0 ? null : r.toString();
      });
      String leader = ClusterE2ETest.leaderOf(ok(mc(lab, "node2", "node ls")).out());
      assertNotEquals("node1", leader, "node1 handed its leadership on");
      // node1, a follower that cannot append, had its store stopped by jraft: it says so and where to go
      Run viaNode1 = mc(lab, "node1", "service scale", "web=4", "--detach");
      assertNotEquals(0, viaNode1.status(), viaNode1.toString());
      assertTrue(viaNode1.toString().contains("this manager's Raft store stopped"), viaNode1.toString());
      awaitRunning(lab, "node2", "web", 4);
      assertTrue(line(ok(mc(lab, "node2", "service ls")).out(), "web").contains("4/4"));
      awaitServes(l, "8080 while node1's disk is full", nodes);

      Files.delete(raft.resolve("fill"));
      await("node1 is a reachable manager again, caught up", 60, () -> {
        String row = line(mc(lab, "node2", "node ls").out(), "node1");
        long mine = api(lab, "node1").get("/v1/state").path("index").asLong();
        long theirs = api(lab, "node2").get("/v1/state").path("index").asLong();
        return (row.contains("Reachable") || row.contains("Leader")) && mine >= theirs ? null : row + "; index " + mine + " < " + theirs;
      });
      assertEquals(pid, daemonPid(lab, "node1"), "the same daemon, never restarted");
      ok(mc(lab, "node1", "service scale", "web=3"));
      awaitRunning(lab, "node1", "web", 3);
      awaitServes(l, "8080 after", nodes);
      String log = Files.readString(Path.of("/run/meshplane", lab, "node1.log"));
      assertTrue(log.contains("handing the leadership of 198.18.0.1:2378 to another manager"), "node1's log says it handed on");
    } finally {
      tearDown(lab, "node1", tmpfs, raft);
    }
  }

  /**
   * A follower manager's snapshot torn in half while its daemon was killed: restarted, it refuses
   * its manager role naming the file (its info, its log, its answer to a manager's route), adopts
   * its tasks (the same processes), serves the published port, and follows the other managers as
   * an agent: the cluster's next write reaches it.
   */
  @Test
  void aTornSnapshotOnAFollowerRefusesItsManagerRoleAndKeepsItsNodeDuties() throws Exception {
    String lab = "tc" + suffix();
    try {
      ok(meshctl("lab", "up", "--name", lab, "--nodes", "3", "--managers", "3", "--heartbeat", "1s"));
      ok(mc(lab, "node1", "service create", "--name", "web", "--replicas", "3", "-p", "8080:80", "meshplane/whoami"));
      awaitRunning(lab, "node1", "web", 3);
      Lab l = Lab.require(lab);
      awaitServes(l, "8080 before", List.of("node1", "node2", "node3"));
      Path snapshots = Path.of("/run/meshplane", lab, "node2", "raft", "snapshot");
      Path[] file = {null};
      await("node2 took a snapshot (every 60 s)", 80, () -> {
        file[0] = snapshotFile(snapshots).orElse(null);
        return file[0] != null ? null : "none in " + snapshots;
      });
      List<String> onNode2 = tasksOn(lab, "node1", "web", "node2");
      assertFalse(onNode2.isEmpty(), "a web task on node2");
      Map<String, List<Long>> pids = new TreeMap<>();
      onNode2.forEach(id -> pids.put(id, ClusterWitness.taskPids(id)));

      ok(meshctl("lab", "stop", "--name", lab, "node2", "--kill"));
      byte[] whole = Files.readAllBytes(file[0]);
      Files.write(file[0], java.util.Arrays.copyOf(whole, whole.length / 2));
      ok(meshctl("lab", "start", "--name", lab, "node2"));

      JsonNode[] resumed = {null};
      await("node2's daemon resumed its swarm (its local API answers first)", 30, () -> {
        resumed[0] = api(lab, "node2").get("/v1/info");
        return resumed[0].path("nodeId").isTextual() ? null : resumed[0].toString();
      });
      JsonNode info = resumed[0];
      String refused = info.path("managerRefused").asText();
      assertTrue(refused.contains("refuses its manager role") && refused.contains(file[0].toString()), info.toString());
      String log = Files.readString(Path.of("/run/meshplane", lab, "node2.log"));
      assertTrue(log.contains("cannot load a snapshot") && log.contains(file[0].toString()), "node2's log names the file");
      Run ls2 = mc(lab, "node2", "node ls");
      assertNotEquals(0, ls2.status());
      assertTrue(ls2.toString().contains("refuses its manager role") && ls2.toString().contains(file[0].toString()), ls2.toString());

      // its node duties: the same task processes, the published port on node2 answered
      await("node2 applies an assignment", 30, () -> api(lab, "node2").get("/v1/info").path("assignmentApplied").asLong() > 0
          ? null : "not yet");
      for (var t : pids.entrySet()) {
        assertEquals(t.getValue(), ClusterWitness.taskPids(t.getKey()), "task " + t.getKey() + " runs on in the same processes");
      }
      awaitServes(l, "8080 with node2 refusing its manager role", List.of("node1", "node2", "node3"));

      // the cluster goes on with two managers, and node2 follows it as an agent
      Run ls = ok(mc(lab, "node1", "node ls"));
      assertTrue(line(ls.out(), "node2").contains("Unreachable"), ls.out());
      long applied = api(lab, "node2").get("/v1/info").path("assignmentApplied").asLong();
      ok(mc(lab, "node1", "service scale", "web=6"));
      awaitRunning(lab, "node1", "web", 6);
      await("node2's agent got the write's assignment", 30, () -> api(lab, "node2").get("/v1/info").path("assignmentApplied")
          .asLong() > applied ? null : "still " + applied);
      assertFalse(tasksOn(lab, "node1", "web", "node2").isEmpty());
    } finally {
      keepLog(lab, "node2");
      down(lab);
    }
  }

  // ------------------------------------------------------------------------------------------

  private static String suffix() {
    return Long.toString(System.nanoTime() % 1296, 36);
  }

  /** Fills the tmpfs on {@code raft} to its last block with {@code raft/fill}. */
  private static void fill(Path raft) {
    Command.Result fill = Command.run("dd", "if=/dev/zero", "of=" + raft.resolve("fill"), "bs=1M");
    assertFalse(fill.ok(), "dd fills the tmpfs to the last block: " + fill.output());
    assertTrue(fill.output().contains("No space left on device"), fill.output());
  }

  /** What node1's refusal of a write says when its Raft folder {@code raft} is full. */
  private static String noSpace(Path raft) {
    return "no space left on device writing the Raft log at " + raft.resolve("log") + " on manager 198.18.0.1:2378";
  }

  private static void tearDown(String lab, String node, String tmpfs, Path raft) {
    keepLog(lab, node);
    Tmpfs.unmount(tmpfs, raft);
    down(lab);
  }

  private static Run mc(String lab, String node, String command, String... rest) {
    List<String> a = new ArrayList<>(List.of(command.split(" ")));
    a.addAll(List.of("--lab", lab, "--node", node));
    a.addAll(List.of(rest));
    return meshctl(a.toArray(String[]::new));
  }

  private static Run ok(Run r) {
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  private static ApiClient api(String lab, String node) {
    return new ApiClient(ApiTarget.unix(Path.of("/run/meshplane", lab, node + ".sock")));
  }

  private static void sh(String script) {
    Command.Result r = Command.run("sh", "-c", script);
    assertTrue(r.ok(), script + ": " + r.output());
  }

  private static long daemonPid(String lab, String node) throws IOException {
    return Long.parseLong(Files.readString(Path.of("/run/meshplane", lab, node + ".pid")).strip());
  }

  private static void awaitRunning(String lab, String via, String service, int n) {
    await(service + " runs " + n, 90, () -> {
      List<JsonNode> live = stream(api(lab, via).get("/v1/services/" + service + "/tasks")).filter(ClusterE2ETest::isRunning).toList();
      return live.size() == n ? null : describe(live);
    });
  }

  private static List<String> tasksOn(String lab, String via, String service, String node) {
    return stream(api(lab, via).get("/v1/services/" + service + "/tasks"))
        .filter(t -> isRunning(t) && t.path("nodeHostname").asText().equals(node)).map(t -> t.path("id").asText()).toList();
  }

  /** Each node's published port answers a curl from the lab's client with whoami's hostname. */
  private static void awaitServes(Lab l, String what, List<String> nodes) {
    ClusterWitness see = new ClusterWitness(l);
    await(what, 30, () -> {
      for (String n : nodes) {
        if (see.hostnameFromClient(n, 8080).isEmpty()) {
          HostCommand.Result r = see.curlFromClient(n, 8080, 2);
          return n + ":8080 did not answer: " + r.output().strip();
        }
      }
      return null;
    });
  }

  private static Optional<Path> snapshotFile(Path snapshots) throws IOException {
    if (!Files.isDirectory(snapshots)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(snapshots)) {
      return s.filter(p -> p.getFileName().toString().startsWith("snapshot_")).map(p -> p.resolve("cluster-state.json"))
          .filter(Files::exists).findFirst();
    }
  }

  /** The daemon's log, kept in target/ for a failure's reader. */
  private static void keepLog(String lab, String node) {
    try {
      Path log = Path.of("/run/meshplane", lab, node + ".log");
      if (Files.exists(log)) {
        Files.copy(log, Path.of("target", "ManagerDiskE2ETest-" + lab + "-" + node + ".log"),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      System.err.println("cannot keep the log of " + node + ": " + e);
    }
  }

  private static void down(String lab) {
    Run down = meshctl("lab", "down", "--name", lab);
    assertEquals(0, down.status(), down.toString());
    assertEquals(List.of(), NetNamespace.listWithPrefix("mp-" + lab + "-"), "lab down leaves no namespace");
    assertFalse(Files.exists(Path.of("/run/meshplane", lab)), "lab down removes the lab's folder");
  }
}
