package meshplane.e2e;

import static meshplane.e2e.ClusterE2ETest.meshctl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiTarget;
import meshplane.e2e.ClusterE2ETest.Run;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Command;
import meshplane.testkit.IpJson;
import meshplane.testkit.NftJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A node daemon killed (SIGKILL) in the middle of applying a large change, 20 times (system property {@code meshplane.killRounds}):
 * each round creates, or removes, {@value #SERVICES} services (each one {@code busybox sleep}
 * task, its port published, so a task namespace, a port on the ingress overlay and rules in the
 * node's and ingress_sbox's tables each), kills node2's daemon at a random point while node2 is
 * applying it, starts it again, and waits until node2's kernel is exactly the desired state the
 * manager (node1, drained: every task runs on node2) holds. Witnesses of the test's own:
 * {@code ip netns list} (the task namespaces are the node's desired running tasks), {@code nft -j
 * list ruleset} in the node and its ingress_sbox (the published ports are the desired services'),
 * {@code ip -j link} in the node's namespaces (its links are the baseline plus one overlay port per
 * task), /proc (the task processes are the desired ones) and the node's task folders.
 */
@Tag("e2e")
class DaemonKillE2ETest {
  static final int ROUNDS = Integer.getInteger("meshplane.killRounds", 20);
  static final int SERVICES = 200;
  private static final int FIRST_PORT = 30000;
  private static final String LAB = "dk" + ClusterE2ETest.randomSuffix();
  private static final Random RANDOM = new Random();
  private static Thread shutdownHook;
  private static String nodePrefix;
  private static String node2Id;
  /** Every task id the manager ever showed: a process or folder of one of them must be wanted. */
  private static final Set<String> everSeen = new HashSet<>();

  @BeforeAll
  static void labUp() {
    shutdownHook = ClusterE2ETest.labDownOnExit(LAB);
    ok(meshctl("lab", "up", "--name", LAB, "--nodes", "2", "--managers", "1", "--heartbeat", "2s"));
    ok(meshctl("node", "update", "--lab", LAB, "--node", "node1", "--availability", "drain", "node1"));
    nodePrefix = "mp-" + LAB + "-node2";
    for (JsonNode n : api().get("/v1/nodes")) {
      if (n.path("hostname").asText().equals("node2")) {
        node2Id = n.path("id").asText();
      }
    }
  }

  @AfterAll
  static void labDown() {
    ClusterE2ETest.labDownNow(LAB, "DaemonKillE2ETest", shutdownHook);
  }


  record Row(int round, String change, long killAfterMs, int netnsAtKill, long restartMs, long convergeMs, int tasks,
      int netns, int ports, int links, int nodeLinks) {}

  @Test
  void everyRestartAfterAKillInTheMiddleOfA200ServiceChangeConvergesWithNothingLeaked() throws Exception {
    int baseLinks = -1; // the links of node2's own namespace after round 1 (its bridge and the ingress port made)
    List<Row> rows = new ArrayList<>();
    long t0 = System.nanoTime();
    ExecutorService writers = Executors.newFixedThreadPool(4);
    try {
      for (int round = 1; round <= ROUNDS; round++) {
        boolean create = round % 2 == 1;
        // the kill comes while node2 applies: once a random share (5-95 %) of the task namespaces is made, or removed
        int target = SERVICES / 20 + RANDOM.nextInt(SERVICES * 9 / 10);
        long start = System.nanoTime();
        List<Future<?>> writes = new ArrayList<>();
        for (int i = 0; i < SERVICES; i++) {
          int k = i;
          writes.add(writers.submit(() -> create ? createService(k) : removeService(k)));
        }
        awaitNamespaces(create ? target : SERVICES - target, create);
        long killAfter = (System.nanoTime() - start) / 1_000_000;
        int atKill = taskNamespaces().size();
        ok(meshctl("lab", "stop", "--name", LAB, "node2", "--kill"));
        for (Future<?> w : writes) {
          w.get(120, TimeUnit.SECONDS);
        }
        long r0 = System.nanoTime();
        ok(meshctl("lab", "start", "--name", LAB, "node2"));
        long restartMs = (System.nanoTime() - r0) / 1_000_000;
        Set<Integer> ports = create ? allPorts() : Set.of();
        Witness w = await(round, ports, baseLinks, 90);
        baseLinks = w.nodeLinks();
        rows.add(new Row(round, (create ? "create " : "rm ") + SERVICES, killAfter, atKill, restartMs,
            (System.nanoTime() - r0) / 1_000_000, w.tasks(), w.netns(), w.ports(), w.links(), w.nodeLinks()));
        System.out.printf("DaemonKillE2ETest round %d done after %d ms%n", round, (System.nanoTime() - start) / 1_000_000);
      }
    } finally {
      writers.shutdownNow();
      System.out.println("DaemonKillE2ETest: kill -9 of node2's daemon in the middle of a " + SERVICES + "-service change");
      System.out.println("round | change     | kill after | task netns at kill | restart | converged | tasks | task netns | nft ports"
          + " | overlay ports | node links");
      for (Row r : rows) {
        System.out.printf("%5d | %-10s | %7d ms | %18d | %4d ms | %6d ms | %5d | %10d | %9d | %13d | %10d%n", r.round(), r.change(),
            r.killAfterMs(), r.netnsAtKill(), r.restartMs(), r.convergeMs(), r.tasks(), r.netns(), r.ports(), r.links(),
            r.nodeLinks());
      }
      System.out.printf("DaemonKillE2ETest: %d rounds in %d s%n", rows.size(), (System.nanoTime() - t0) / 1_000_000_000L);
    }
    assertEquals(ROUNDS, rows.size());
  }

  /** What node2's kernel and folders hold, each count checked against the desired state. */
  record Witness(int tasks, int netns, int ports, int links, int nodeLinks) {}

  /**
   * Waits until node2 holds exactly the desired state: the task namespaces, processes and folders
   * are the desired running tasks of node2, each running; the published ports in the node's and
   * ingress_sbox's tables are {@code ports}; the links are {@code baseLinks} plus one per task
   * ({@code baseLinks} -1: not known yet, the baseline round).
   */
  private static Witness await(int round, Set<Integer> ports, int nodeLinks, int seconds) {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    String last = "never checked";
    while (System.nanoTime() < end) {
      try {
        Set<String> desired = desiredRunningOnNode2(ports.size());
        if (desired == null) {
          last = "the manager has not placed every task yet";
        } else {
          Set<String> netns = taskNamespaces();
          Set<String> wantNetns = desired.stream().map(id -> nodePrefix + "-" + id.substring(0, 10)).collect(Collectors.toSet());
          Map<String, Integer> perTask = taskProcesses();
          Set<String> procs = perTask.keySet();
          Set<String> folders = taskFolders();
          Set<Integer> nft = publishedPorts(nodePrefix);
          Set<Integer> sbox = publishedPorts(nodePrefix + "-ingress_sbox");
          int links = endpointPorts();
          int own = nodeLinks();
          List<String> wrong = new ArrayList<>();
          check(wrong, "task namespaces", wantNetns, netns);
          check(wrong, "task processes", desired, procs);
          check(wrong, "task folders", desired, folders);
          if (!perTask.isEmpty() && !Set.copyOf(perTask.values()).equals(Set.of(perTask.values().iterator().next()))) {
            wrong.add("processes per task differ (a task started twice?): " + perTask.entrySet().stream()
                .collect(Collectors.groupingBy(Map.Entry::getValue, Collectors.counting())) + " (processes -> tasks)");
          }
          check(wrong, "published ports in the node's table", ports, nft);
          check(wrong, "published ports in ingress_sbox's table", ports, sbox);
          if (links != desired.size()) {
            wrong.add("endpoint ports on the overlays: " + links + ", want " + desired.size());
          }
          if (nodeLinks >= 0 && own != nodeLinks) {
            wrong.add("links in the node's namespace: " + own + ", want " + nodeLinks + " as after round 1");
          }
          if (wrong.isEmpty()) {
            return new Witness(desired.size(), netns.size(), nft.size(), links, own);
          }
          last = String.join("; ", wrong);
        }
      } catch (RuntimeException e) {
        last = e.toString();
      }
      sleep(500);
    }
    fail("round " + round + ": node2 did not converge within " + seconds + " s: " + last);
    return null;
  }

  private static <T> void check(List<String> wrong, String what, Set<T> want, Set<T> have) {
    if (!want.equals(have)) {
      Set<T> extra = new TreeSet<>(have);
      extra.removeAll(want);
      Set<T> missing = new TreeSet<>(want);
      missing.removeAll(have);
      wrong.add(what + ": " + have.size() + " of " + want.size() + ", extra " + first(extra) + ", missing " + first(missing));
    }
  }

  private static <T> String first(Set<T> s) {
    return s.size() <= 3 ? s.toString() : s.stream().limit(3).toList() + "... (" + s.size() + ")";
  }

  /**
   * The ids of node2's tasks the manager wants running and that run there, or null while any
   * wanted task is not placed on node2 and running yet ({@code services} services, one task each).
   */
  private static Set<String> desiredRunningOnNode2(int services) {
    JsonNode tasks = api().get("/v1/state").path("tasks");
    Set<String> ids = new TreeSet<>();
    int wanted = 0;
    boolean settled = true;
    for (JsonNode t : tasks) {
      everSeen.add(t.path("id").asText());
      if (!t.path("desired").asText().equals("RUNNING")) {
        continue;
      }
      wanted++;
      settled &= node2Id.equals(t.path("nodeId").asText()) && t.path("state").asText().equals("RUNNING");
      ids.add(t.path("id").asText());
    }
    return settled && wanted == services ? ids : null;
  }

  private static Object createService(int k) {
    Map<String, Object> spec = Map.of("name", name(k), "replicas", 1, "image", "busybox", "command", List.of("sleep", "100000"),
        "ports", List.of(Map.of("protocol", "tcp", "published", FIRST_PORT + k, "target", 80)));
    return api().post("/v1/services", spec);
  }

  private static Object removeService(int k) {
    return api().delete("/v1/services/" + name(k));
  }

  private static String name(int k) {
    return String.format("k%03d", k);
  }

  private static Set<Integer> allPorts() {
    Set<Integer> p = new TreeSet<>();
    for (int k = 0; k < SERVICES; k++) {
      p.add(FIRST_PORT + k);
    }
    return p;
  }

  /**
   * Waits (at most 30 s) until node2 has at least ({@code growing}) or at most {@code count}
   * task namespaces, looking at /run/netns every 10 ms.
   */
  private static void awaitNamespaces(int count, boolean growing) {
    long end = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < end) {
      long n;
      try (var names = Files.list(Path.of("/run/netns"))) {
        n = names.map(p -> p.getFileName().toString()).filter(DaemonKillE2ETest::isTaskNamespace).count();
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      if (growing ? n >= count : n <= count) {
        return;
      }
      sleep(10);
    }
    fail("node2 never had " + (growing ? "at least " : "at most ") + count + " task namespaces within 30 s");
  }

  private static boolean isTaskNamespace(String ns) {
    return ns.startsWith(nodePrefix + "-") && !ns.contains("-ov-") && !ns.endsWith("-ingress_sbox") && !ns.contains("-lb_");
  }

  /** {@code ip netns list}: node2's task namespaces (not its sandboxes). */
  private static Set<String> taskNamespaces() {
    Set<String> out = new TreeSet<>();
    for (String line : Command.run(20, "ip", "netns", "list").orThrow().split("\n")) {
      String ns = line.split(" ")[0].strip();
      if (isTaskNamespace(ns)) {
        out.add(ns);
      }
    }
    return out;
  }

  /**
   * The ports of this test's range in the elements of every set and map of {@code nft -j list
   * ruleset} in {@code namespace} (the mesh keeps per-service state only in sets and maps).
   */
  private static Set<Integer> publishedPorts(String namespace) {
    Set<Integer> ports = new TreeSet<>();
    if (!NetNamespace.exists(namespace)) {
      return ports; // no sandbox: nothing published through it
    }
    for (JsonNode item : NftJson.ruleset(namespace)) {
      for (String kind : List.of("set", "map")) {
        collectPorts(item.path(kind).path("elem"), ports);
      }
    }
    return ports;
  }

  private static void collectPorts(JsonNode n, Set<Integer> ports) {
    if (n.isInt() && n.asInt() >= FIRST_PORT && n.asInt() < FIRST_PORT + SERVICES) {
      ports.add(n.asInt());
    }
    n.forEach(c -> collectPorts(c, ports));
  }

  /** {@code ip -j link} in node2's overlay sandboxes: the task endpoint ports ({@code mp-v<id>}, not the lb's or VXLAN's). */
  private static int endpointPorts() {
    int n = 0;
    for (String ns : NetNamespace.listWithPrefix(nodePrefix + "-ov-")) {
      for (JsonNode l : IpJson.ip(ns, "link")) {
        String name = l.path("ifname").asText();
        if (name.startsWith("mp-v") && !name.startsWith("mp-vx-") && !name.equals("mp-vlb")) {
          n++;
        }
      }
    }
    return n;
  }

  /** {@code ip -j link} in node2's own namespace: how many links. */
  private static int nodeLinks() {
    return IpJson.ip(nodePrefix, "link").size();
  }

  /** How many live processes carry each task id, for every process whose environment says {@code MESHPLANE_TASK=<one this test's manager showed>}. */
  private static Map<String, Integer> taskProcesses() {
    Map<String, Integer> ids = new java.util.TreeMap<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
      for (Path p : procs) {
        if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String status = Files.readString(p.resolve("stat"));
          if (status.substring(status.lastIndexOf(')') + 2).startsWith("Z")) {
            continue; // a zombie holds nothing but its pid
          }
          for (String e : new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8).split("\0")) {
            if (e.startsWith("MESHPLANE_TASK=") && everSeen.contains(e.substring("MESHPLANE_TASK=".length()))) {
              ids.merge(e.substring("MESHPLANE_TASK=".length()), 1, Integer::sum);
            }
          }
        } catch (IOException | RuntimeException gone) {
          // ended meanwhile
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return ids;
  }

  /** node2's task state folders. */
  private static Set<String> taskFolders() {
    Path dir = Path.of("/run/meshplane", LAB, "node2", "tasks");
    if (!Files.isDirectory(dir)) {
      return Set.of();
    }
    try (var s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ApiClient api() {
    return new ApiClient(ApiTarget.unix(Path.of("/run/meshplane", LAB, "node1.sock")));
  }

  private static Run ok(Run r) {
    assertEquals(0, r.status(), r.toString());
    return r;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static {
    assertTrue(ROUNDS % 2 == 0, "an even number of rounds ends with every service removed");
  }
}
