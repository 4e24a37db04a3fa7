package meshplane.e2e;

import static meshplane.e2e.ClusterE2ETest.meshctl;
import static meshplane.e2e.ClusterE2ETest.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiTarget;
import meshplane.e2e.ClusterE2ETest.Run;
import meshplane.testkit.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A task's bounds on a one-node lab, as a user sees them: {@code --limit-memory} kills a task that
 * allocates past it and {@code service ps} says so; {@code --log-opt max-size/max-file} keeps a
 * chatty task's log files bounded ({@code ls -l} and {@code du} of the log folder, which is not in
 * the daemon's state folder) while {@code service logs} still shows the newest lines.
 */
@Tag("e2e")
class TaskLimitsE2ETest {
  private static final String LAB = "tl" + new SecureRandom().nextInt(100, 1000);
  private static Thread shutdownHook;

  @BeforeAll
  static void labUp() {
    shutdownHook = ClusterE2ETest.labDownOnExit(LAB);
    ok(meshctl("lab", "up", "--name", LAB, "--nodes", "1", "--managers", "1", "--heartbeat", "1s"));
  }

  @AfterAll
  static void labDown() {
    ClusterE2ETest.labDownNow(LAB, "TaskLimitsE2ETest", shutdownHook);
  }

  private static ApiClient api() {
    return new ApiClient(ApiTarget.unix(Path.of("/run/meshplane", LAB, "node1.sock")));
  }

  private static Run mc(String command, String... rest) {
    List<String> a = new ArrayList<>(List.of(command.split(" ")));
    a.addAll(List.of("--lab", LAB, "--node", "node1"));
    a.addAll(List.of(rest));
    return meshctl(a.toArray(String[]::new));
  }

  @Test
  void aTaskPastItsMemoryLimitIsOomKilledAndServicePsSaysSo() throws Exception {
    // tail -n 1 keeps a line without end in memory: 200 MiB of zeros against 32 MiB
    ok(mc("service create", "--name", "hog", "--limit-memory", "32m", "--restart-condition", "none", "-d",
        "sh", "-c", "head -c 209715200 /dev/zero | tail -n 1 > /dev/null"));
    String ps = "";
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (System.nanoTime() < deadline) {
      ps = ok(mc("service ps", "hog")).out();
      if (ps.contains("Failed")) {
        break;
      }
      Thread.sleep(500);
    }
    System.out.println("TaskLimitsE2ETest: meshctl service ps hog\n" + ps);
    assertTrue(ps.contains("\"OOM killed (memory limit 32 MiB): task: non-zero exit (137)\""), ps);
    String inspect = ok(mc("service inspect", "--pretty", "hog")).out();
    assertTrue(inspect.contains(" Limits:\n  Memory:\t32MiB\n"), inspect);
    ok(mc("service rm", "hog"));
  }

  @Test
  void aChattyTasksLogStaysWithinMaxSizeTimesMaxFileAndLogsShowTheNewestLines() throws Exception {
    // 20,000 lines of 100 bytes (2 MB) into at most 2 files of 64 KiB
    ok(mc("service create", "--name", "chatty", "--log-opt", "max-size=64k", "--log-opt", "max-file=2", "-d", "sh", "-c",
        "i=0; while [ $i -lt 20000 ]; do printf 'line %05d %088d\\n' $i 0; i=$((i+1)); done; echo done; sleep 600"));
    Path logs = Path.of("/run/meshplane", LAB, "task-logs", "node1");
    String tail = "";
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (System.nanoTime() < deadline) {
      Run r = mc("service logs", "--tail", "3", "chatty");
      tail = r.out();
      if (r.status() == 0 && tail.contains("| done")) {
        break;
      }
      Thread.sleep(500);
    }
    String task = api().get("/v1/services/chatty/tasks").get(0).path("id").asText();
    String ls = Command.run("sh", "-c", "ls -l " + logs + "/" + task + ".log*").orThrow();
    String du = Command.run("sh", "-c", "du -cb " + logs + "/" + task + ".log*").orThrow();
    System.out.println("TaskLimitsE2ETest: ls -l " + logs + "/" + task + ".log*\n" + ls + "du -cb:\n" + du);
    assertTrue(tail.contains("line 19998 ") && tail.contains("line 19999 ") && tail.contains("| done"), tail);
    List<Path> files;
    try (var list = Files.list(logs)) {
      files = list.filter(f -> f.getFileName().toString().startsWith(task + ".log")).toList();
    }
    assertEquals(2, files.size(), "the current file and one rotated: " + ls);
    for (Path f : files) {
      assertTrue(Files.size(f) <= 64 * 1024, f + ": " + ls);
    }
    String totalLine = du.lines().filter(l -> l.endsWith("total")).findFirst().orElseThrow();
    assertTrue(Long.parseLong(totalLine.split("\\s+")[0]) <= 2 * 64 * 1024, "du: " + du);
    // apart from the daemon's state folder (and the Raft data in it)
    String inState = Command.run("find", "/run/meshplane/" + LAB + "/node1", "-name", task + ".log*").orThrow();
    assertEquals("", inState.trim(), "no task log in the state folder");
    ok(mc("service rm", "chatty"));
  }
}
