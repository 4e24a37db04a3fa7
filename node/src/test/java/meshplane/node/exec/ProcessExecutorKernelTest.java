package meshplane.node.exec;

import meshplane.testkit.Processes;
import meshplane.testkit.Wait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import meshplane.testkit.IpJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The process executor against the real kernel: each test in a fresh namespace mpt-exec-* (lo up,
 * and a veth to a peer namespace mpt-expr-*, both ends made inside the two namespaces), tasks
 * checked from outside with curl, /proc and their log.
 */
@Tag("kernel")
class ProcessExecutorKernelTest {
  private static final String TASK_NAME = "web.1.abc";
  private String ns;
  private String peer;
  private Path dir;
  private final List<String> taskIds = new ArrayList<>();
  private ProcessExecutor executor;

  @BeforeEach
  void namespaces() throws Exception {
    String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    ns = "mpt-exec-" + suffix;
    peer = "mpt-expr-" + suffix;
    dir = Files.createTempDirectory("mpt-exec-");
    executor = new ProcessExecutor(dir);
    run("ip", "netns", "add", ns);
    run("ip", "netns", "add", peer);
    run("ip", "-n", ns, "link", "set", "lo", "up");
    run("ip", "-n", ns, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", peer);
    run("ip", "-n", ns, "addr", "add", "10.99.0.2/24", "dev", "eth0");
    run("ip", "-n", peer, "addr", "add", "10.99.0.1/24", "dev", "eth0");
    run("ip", "-n", ns, "link", "set", "eth0", "up");
    run("ip", "-n", peer, "link", "set", "eth0", "up");
  }

  @AfterEach
  void removeEverything() throws Exception {
    for (String id : taskIds) {
      for (long pid : processesCarrying(id)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    runQuietly("ip", "netns", "del", ns);
    runQuietly("ip", "netns", "del", peer);
    executor.close();
    meshplane.node.exec.Folders.deleteTree(dir);
    for (String id : taskIds) {
      assertEquals(List.of(), processesCarrying(id), "teardown left processes of task " + id);
    }
  }

  @Test
  void whoamiAnswersWithTheTaskNameAndTheNamespacesAddresses() throws Exception {
    TaskLaunch launch = launch("meshplane/whoami", List.of());
    assertEquals(ns, executor.prepare(launch));
    RunningTask task = executor.start(launch);

    String body = waitForHttp(ns, "http://127.0.0.1:80/");
    List<String> lines = body.lines().toList();
    assertEquals("Hostname: " + TASK_NAME, lines.get(0), body);
    Set<String> ips = new HashSet<>();
    lines.stream().filter(l -> l.startsWith("IP: ")).forEach(l -> ips.add(l.substring(4)));
    assertTrue(ips.containsAll(List.of("127.0.0.1", "10.99.0.2")), body);
    assertEquals(IpJson.localAddresses(ns), ips, "the IP lines are what `ip -j addr` lists in " + ns);
    assertTrue(lines.stream().anyMatch(l -> l.matches("RemoteAddr: 127\\.0\\.0\\.1:\\d+")), body);
    assertTrue(lines.contains("GET / HTTP/1.1"), body);
    assertTrue(lines.contains("Host: 127.0.0.1"), body);

    String fromPeer = run("ip", "netns", "exec", peer, "curl", "-s", "--max-time", "5", "http://10.99.0.2/health");
    assertEquals("ok\n", fromPeer);
    String remote = run("ip", "netns", "exec", peer, "curl", "-s", "--max-time", "5", "http://10.99.0.2/x");
    assertTrue(remote.contains("\nRemoteAddr: 10.99.0.1:"), remote);

    Wait.until(() -> logOf(launch).contains(" 10.99.0.1 GET /x HTTP/1.1 200\n"), "whoami logs the requests");
    String log = logOf(launch);
    assertTrue(log.startsWith("whoami listening on :80\n"), log);
    assertTrue(log.contains(" 10.99.0.1 GET /health HTTP/1.1 200\n"), log);

    assertTrue(task.isAlive());
    assertTrue(task.exitCode().isEmpty());
    TaskStops.stop(task, Duration.ofSeconds(10));
    assertFalse(task.isAlive());
    assertTrue(task.exitCode().isPresent());
    assertEquals(List.of(), processesCarrying(launch.taskId()));
  }

  @Test
  void aTaskSeesItsOwnResolvConfAndHostnameAndTheNodeKeepsItsOwn() throws Exception {
    byte[] resolvBefore = Files.readAllBytes(Path.of("/etc/resolv.conf"));
    String hostnameBefore = Files.readString(Path.of("/proc/sys/kernel/hostname"));
    String mountsBefore = nodeMounts();
    TaskLaunch launch = launch("busybox", List.of("sh", "-c", "cat /etc/resolv.conf; hostname; cat /etc/hostname"));
    executor.prepare(launch);
    RunningTask task = executor.start(launch);

    Wait.until(() -> !task.isAlive(), "the task ends");
    assertEquals(0, task.exitCode().orElseThrow(), Files.readString(launch.logFile()));
    List<String> log = Files.readAllLines(launch.logFile());
    assertEquals(List.of("nameserver 127.0.0.11", "options ndots:0", TASK_NAME, TASK_NAME), log);

    assertArrayEquals(resolvBefore, Files.readAllBytes(Path.of("/etc/resolv.conf")));
    assertEquals(hostnameBefore, Files.readString(Path.of("/proc/sys/kernel/hostname")));
    assertEquals(mountsBefore, nodeMounts(), "the node's mounts unchanged (but for the executor's template)");
  }

  /** The node's mounts, less the executor's mount template (kept under the test's folder). */
  private String nodeMounts() throws IOException {
    return String.join("\n", Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
        .filter(l -> !l.contains(dir.toString())).toList());
  }

  /**
   * A task's mounts are a copy of the template: no network namespace's mount of the node (a
   * second namespace named here is one more), the template's resolv.conf; close removes the
   * template, the running task keeps its copy.
   */
  @Test
  void aTaskSeesNoNamespaceMountOfTheNodeAndCloseRemovesTheTemplate() throws Exception {
    String extra = ns + "-x";
    run("ip", "netns", "add", extra);
    try {
      TaskLaunch launch = launch("sh", List.of("-c", "grep -c ' /run/netns' /proc/self/mountinfo; cat /etc/resolv.conf; sleep 300"));
      executor.prepare(launch);
      RunningTask task = executor.start(launch);
      Wait.until(() -> logOf(launch).contains("ndots"), "the task printed its mounts");
      List<String> log = Files.readAllLines(launch.logFile());
      assertEquals(List.of("0", "nameserver 127.0.0.11", "options ndots:0"), log);
      assertTrue(Files.readString(Path.of("/proc/self/mountinfo")).contains("/run/netns/" + extra), "the node has them");
      String template = dir.resolve("task-mounts").toString();
      assertTrue(run("findmnt", "-n", "-o", "SOURCE", "--mountpoint", template).contains("meshplane-task-mounts"));

      executor.close();
      assertEquals("", runQuietly("findmnt", "-n", "--mountpoint", template).strip(), "the template's tmpfs is gone");
      assertFalse(Files.exists(Path.of(template)));
      assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(template),
          "nothing of the template is mounted, the namespace bound in it neither");
      assertTrue(task.isAlive(), "the task runs on with its copy");
      TaskStops.stop(task, Duration.ofSeconds(5));
    } finally {
      runQuietly("ip", "netns", "del", extra);
    }
  }

  @Test
  void theExitStatusIsTheProgramsAndArgumentsArriveUnchanged() throws Exception {
    TaskLaunch exit3 = launch("sh", List.of("-c", "exit 3"));
    executor.prepare(exit3);
    RunningTask task = executor.start(exit3);
    Wait.until(() -> !task.isAlive(), "exit 3 ends");
    assertEquals(3, task.exitCode().orElseThrow());

    List<String> args = List.of("a b", "it's", "$HOME", "*", "", "\"q\"", "x;y", "-n");
    List<String> command = new ArrayList<>(List.of("-c", "printf '[%s]\\n' \"$@\"", "zero"));
    command.addAll(args);
    TaskLaunch echo = launch("/bin/sh", command);
    executor.prepare(echo);
    RunningTask echoTask = executor.start(echo);
    Wait.until(() -> !echoTask.isAlive(), "printf ends");
    assertEquals(0, echoTask.exitCode().orElseThrow());
    assertEquals(args.stream().map(a -> "[" + a + "]").toList(), Files.readAllLines(echo.logFile()));
  }

  @Test
  void stopEndsTheWholeTreeEvenProcessesThatIgnoreTermOrLeftTheGroup() throws Exception {
    TaskLaunch launch = launch("sh", List.of("-c",
        "sleep 300 & (trap '' TERM; sleep 301) & setsid sleep 302 & sleep 303"));
    executor.prepare(launch);
    RunningTask task = executor.start(launch);
    // the wrapper, sh, four sleeps (the subshell may be sleep 301 itself)
    Wait.until(() -> Processes.commandLines(processesCarrying(launch.taskId())).containsAll(
        List.of("sleep 300", "sleep 301", "sleep 302", "sleep 303")), "the task's processes run");

    TaskStops.stop(task, Duration.ofMillis(500));

    assertFalse(task.isAlive());
    assertEquals(List.of(), processesCarrying(launch.taskId()), "no process of the task is left");
  }

  @Test
  void whatTheProgramLeavesBehindEndsWithIt() throws Exception {
    TaskLaunch launch = launch("sh", List.of("-c", "sleep 300 & exit 0"));
    executor.prepare(launch);
    RunningTask task = executor.start(launch);
    Wait.until(() -> !task.isAlive(), "the task ends");
    assertEquals(0, task.exitCode().orElseThrow());
    Wait.until(() -> processesCarrying(launch.taskId()).isEmpty(), "its background sleep ends with it");
  }

  @Test
  void aNewExecutorAdoptsARunningTaskFromItsPidFile() throws Exception {
    TaskLaunch launch = launch("sh", List.of("-c", "echo started; sleep 300"));
    executor.prepare(launch);
    RunningTask started = executor.start(launch);
    Wait.until(() -> Processes.commandLines(processesCarrying(launch.taskId())).contains("sleep 300"), "the sleep runs");

    ProcessExecutor restarted = new ProcessExecutor(dir);
    RunningTask adopted = restarted.adopt(launch);
    assertNotNull(adopted);
    assertEquals(launch.taskId(), adopted.taskId());
    assertTrue(adopted.isAlive());
    assertTrue(adopted.exitCode().isEmpty());

    TaskStops.stop(adopted, Duration.ofSeconds(5));
    assertFalse(adopted.isAlive());
    assertEquals(143, adopted.exitCode().orElseThrow(), "sleep's SIGTERM, as the task's shell wrote it");
    Wait.until(() -> !started.isAlive(), "the first executor sees it end too");
    assertEquals(143, started.exitCode().orElseThrow());
    assertEquals(List.of(), processesCarrying(launch.taskId()));
    assertNull(restarted.adopt(launch), "an ended task is not adopted");
  }

  /**
   * An agent killed after its task was forked off but before it wrote the pid file leaves only the
   * launcher's pid file (what start writes first and now removes last): the task is adopted from
   * it, and the pid file is written for the next restart.
   */
  @Test
  void aTaskWhoseAgentWasKilledBeforeItsPidFileIsAdoptedFromTheLaunchersFile() throws Exception {
    TaskLaunch launch = launch("sh", List.of("-c", "sleep 300"));
    executor.prepare(launch);
    RunningTask started = executor.start(launch);
    Wait.until(() -> Processes.commandLines(processesCarrying(launch.taskId())).contains("sleep 300"), "the sleep runs");
    long pid = TaskPidFile.read(launch.stateDir()).orElseThrow().pid();
    // the folder as a kill between the fork and the pid file leaves it
    Files.delete(launch.stateDir().resolve(TaskPidFile.NAME));
    Files.writeString(launch.stateDir().resolve(ProcessExecutor.LAUNCH_PID_FILE), pid + "\n");

    ProcessExecutor restarted = new ProcessExecutor(dir);
    RunningTask adopted = restarted.adopt(launch);
    assertNotNull(adopted, "adopted from the launcher's pid file");
    assertTrue(adopted.isAlive());
    assertEquals(pid, TaskPidFile.read(launch.stateDir()).orElseThrow().pid(), "the pid file written again");
    TaskStops.stop(adopted, Duration.ofSeconds(5));
    Wait.until(() -> !started.isAlive(), "the task ends");
    assertEquals(List.of(), processesCarrying(launch.taskId()));
  }

  @Test
  void adoptRefusesAPidFileThatNamesAnotherProcessOrNone() throws Exception {
    TaskLaunch launch = launch("sh", List.of("-c", "sleep 300"));
    executor.prepare(launch);
    assertNull(executor.adopt(launch), "no pid file");
    long self = ProcessHandle.current().pid();
    new TaskPidFile(self, TaskProcesses.startTime(self).orElseThrow()).write(launch.stateDir());
    assertNull(executor.adopt(launch), "a live process without the task's marker");
    Files.delete(launch.stateDir().resolve(TaskPidFile.NAME));
    Files.writeString(launch.stateDir().resolve(ProcessExecutor.LAUNCH_PID_FILE), self + "\n");
    assertNull(executor.adopt(launch), "a launcher's pid file naming a process without the task's marker");
  }

  @Test
  void anUnknownImageIsRefusedAndNothingStarts() throws Exception {
    TaskLaunch launch = launch("nginx:1.25-no-such-program", List.of());
    executor.prepare(launch);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> executor.start(launch));
    assertTrue(e.getMessage().contains("nginx:1.25-no-such-program"), e.getMessage());
    assertEquals(List.of(), processesCarrying(launch.taskId()));
    assertFalse(Files.exists(launch.stateDir().resolve(TaskPidFile.NAME)));
  }

  @Test
  void aMissingNamespaceIsAnErrorNamingIt() throws Exception {
    TaskLaunch launch = new TaskLaunch(newTaskId(), TASK_NAME, ns + "-gone", "sh", List.of("-c", "true"), Map.of(),
        dir.resolve("gone.log"), dir.resolve("gone"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> executor.start(launch));
    assertTrue(e.getMessage().contains(ns + "-gone"), e.getMessage());
  }

  @Test
  void cleanupRemovesTheStateFolder() throws Exception {
    TaskLaunch launch = launch("sh", List.of("-c", "true"));
    executor.prepare(launch);
    RunningTask task = executor.start(launch);
    Wait.until(() -> !task.isAlive(), "true ends");
    executor.cleanup(launch);
    assertFalse(Files.exists(launch.stateDir()));
    assertTrue(Files.exists(launch.logFile()), "the log stays for service logs");
  }

  private TaskLaunch launch(String image, List<String> command) {
    String id = newTaskId();
    return new TaskLaunch(id, TASK_NAME, ns, image, command, Map.of("GREETING", "hello world"),
        dir.resolve(id + ".log"), dir.resolve(id));
  }

  private String newTaskId() {
    String id = "mptexec" + String.format("%018x", ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE).substring(0, 18);
    taskIds.add(id);
    return id;
  }

  /** The witness: every pid whose /proc environ holds MESHPLANE_TASK=id, read independently (testkit). */
  private static List<Long> processesCarrying(String taskId) {
    return Processes.ofTask(taskId);
  }

  private static String logOf(TaskLaunch launch) {
    try {
      return Files.readString(launch.logFile());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String waitForHttp(String ns, String url) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Process p = new ProcessBuilder("ip", "netns", "exec", ns, "curl", "-s", "--max-time", "2", url)
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() == 0 && !out.isEmpty()) {
        return out;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no answer from " + url + " in " + ns + " within 60 s");
      }
      Thread.sleep(200);
    }
  }

  private static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    return out;
  }

  /** Runs argv whatever its status; its output. */
  private static String runQuietly(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  private static void assertArrayEquals(byte[] expected, byte[] actual) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, actual, "the node's /etc/resolv.conf unchanged");
  }
}
