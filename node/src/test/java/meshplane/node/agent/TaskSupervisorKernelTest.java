package meshplane.node.agent;

import meshplane.testkit.Processes;
import meshplane.testkit.Wait;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.assignment.AssignedTask;
import meshplane.cluster.assignment.TaskRuntime;
import meshplane.cluster.model.TaskReport;
import meshplane.cluster.model.TaskState;
import meshplane.node.exec.ProcessExecutor;
import meshplane.node.exec.TaskExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The supervisor with the real process executor, tasks on no network (so the supervisor makes
 * their namespaces, named {@code mpt-sup-<random>-<short id>}). Witnesses are read outside the
 * supervisor: /proc (every process carrying the task's marker), {@code ip netns identify}, the
 * log and state files. Processes, namespaces and folders are removed after each test, also on
 * failure.
 */
@Tag("kernel")
class TaskSupervisorKernelTest {
  private String nodeNs;
  private Path dir;
  private final List<String> taskIds = new ArrayList<>();
  private final List<TaskSupervisor> supervisors = new ArrayList<>();
  private ProcessExecutor process;
  private Map<String, TaskExecutor> executors;

  @BeforeEach
  void folder() throws IOException {
    nodeNs = "mpt-sup-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffL);
    dir = Files.createTempDirectory("mpt-sup-");
    process = new ProcessExecutor(dir);
    executors = Map.of(ProcessExecutor.NAME, process);
  }

  @AfterEach
  void removeEverything() throws Exception {
    supervisors.forEach(TaskSupervisor::close);
    for (String id : taskIds) {
      for (long pid : processesCarrying(id)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
    for (String ns : run("ip", "netns", "list").lines().map(l -> l.split(" ")[0]).toList()) {
      if (ns.startsWith(nodeNs + "-")) {
        run("ip", "netns", "delete", ns);
      }
    }
    process.close();
    meshplane.node.exec.Folders.deleteTree(dir);
    for (String id : taskIds) {
      assertEquals(List.of(), processesCarrying(id), "teardown left processes of task " + id);
    }
  }

  @Test
  void aTaskIsPreparedBeforeTheDataPlaneAndStartedAfterIt() throws Exception {
    AssignedTask t = task("sh", "-c", "echo started; sleep 300");
    TaskSupervisor sup = supervisor();
    sup.sync(List.of(t));
    assertEquals(TaskState.ASSIGNED, reportOf(sup, t).state(), "prepared");
    assertTrue(Files.exists(Path.of("/run/netns", sup.namespaceOf(t.id()))), "its namespace (no network: lo only)");
    assertEquals(List.of(), processesCarrying(t.id()), "not started before the data plane is applied");

    sup.dataplaneApplied();
    assertEquals(TaskState.RUNNING, reportOf(sup, t).state());
    Wait.until(() -> log(t).contains("started\n"), "the task writes its log");
    List<Long> pids = processesCarrying(t.id());
    assertFalse(pids.isEmpty());
    assertEquals(sup.namespaceOf(t.id()), run("ip", "netns", "identify", Long.toString(pids.get(0))).strip());
  }

  @Test
  void aTaskThatExitsIsReportedFailedAndNeverRestarted() throws Exception {
    AssignedTask t = task("sh", "-c", "echo once; exit 3");
    TaskSupervisor sup = supervisor();
    sup.sync(List.of(t));
    sup.dataplaneApplied();
    TaskReport failed = awaitReport(sup, t, TaskState.FAILED);
    assertEquals(3, failed.exitCode());
    assertEquals("task: non-zero exit (3)", failed.message());
    AssignedTask stillRunningForTheCluster = new AssignedTask(t.id(), t.name(), TaskState.RUNNING, TaskState.RUNNING,
        List.of(), t.runtime());
    for (int i = 0; i < 5; i++) {
      sup.sync(List.of(stillRunningForTheCluster));
      sup.dataplaneApplied();
      sup.tick();
      Thread.sleep(100);
    }
    assertEquals("once\n", log(t), "started once");
    assertEquals(failed, reportOf(sup, t));
    Wait.until(() -> !Files.exists(Path.of("/run/netns", sup.namespaceOf(t.id()))), "its namespace is removed");
    Wait.until(() -> !Files.exists(dir.resolve("tasks").resolve(t.id())), "its state folder is removed");
  }

  @Test
  void aStopIsSigtermThenSigkillAfterTheGracePeriod() throws Exception {
    AssignedTask obeys = task("sh", "-c", "sleep 300");
    AssignedTask ignores = task("sh", "-c", "trap '' TERM; while :; do sleep 1; done");
    TaskSupervisor sup = supervisor();
    sup.sync(List.of(obeys, ignores));
    sup.dataplaneApplied();
    Wait.until(() -> Processes.commandLines(processesCarrying(obeys.id())).contains("sleep 300")
        && Processes.commandLines(processesCarrying(ignores.id())).contains("sleep 1"), "both programs run");

    long stopAt = System.nanoTime();
    sup.sync(List.of(shutdown(obeys), shutdown(ignores)));
    TaskReport stopped = awaitReport(sup, obeys, TaskState.SHUTDOWN);
    assertEquals(143, stopped.exitCode(), "sleep ended by SIGTERM");
    assertTrue(System.nanoTime() - stopAt < TimeUnit.SECONDS.toNanos(3), "SIGTERM is enough for it");
    Thread.sleep(TaskStep.GRACE.toMillis() - 3_000);
    sup.tick();
    assertFalse(processesCarrying(ignores.id()).isEmpty(), "it ignores SIGTERM, the grace period is not over");
    assertEquals(TaskState.RUNNING, reportOf(sup, ignores).state());
    TaskReport killed = awaitReport(sup, ignores, TaskState.SHUTDOWN);
    long took = System.nanoTime() - stopAt;
    assertTrue(took >= TaskStep.GRACE.toNanos(), "killed after the grace period, not before: " + took / 1_000_000 + " ms");
    assertEquals("shut down", killed.message());
    assertEquals(List.of(), processesCarrying(ignores.id()));
    Wait.until(() -> !Files.exists(Path.of("/run/netns", sup.namespaceOf(ignores.id()))), "its namespace is removed");
    assertTrue(Files.exists(sup.logFile(ignores.id())), "the log stays");
  }

  @Test
  void aRestartedAgentAdoptsItsRunningTasksAndReclaimsTheUnwantedOnes() throws Exception {
    AssignedTask kept = task("sh", "-c", "sleep 300");
    AssignedTask left = task("sh", "-c", "sleep 301");
    TaskSupervisor first = supervisor();
    first.sync(List.of(kept, left));
    first.dataplaneApplied();
    Wait.until(() -> Processes.commandLines(processesCarrying(kept.id())).contains("sleep 300")
        && Processes.commandLines(processesCarrying(left.id())).contains("sleep 301"), "both programs run");
    List<Long> keptPids = processesCarrying(kept.id());
    first.close(); // the agent goes away without stopping its tasks

    TaskSupervisor second = supervisor();
    AssignedTask runningForTheCluster = new AssignedTask(kept.id(), kept.name(), TaskState.RUNNING, TaskState.RUNNING,
        List.of(), kept.runtime());
    second.sync(List.of(runningForTheCluster)); // `left` was rescheduled elsewhere meanwhile
    TaskReport adopted = reportOf(second, kept);
    assertEquals(TaskState.RUNNING, adopted.state());
    assertEquals("adopted after an agent restart", adopted.message());
    second.dataplaneApplied();
    second.tick();
    assertEquals(keptPids, processesCarrying(kept.id()), "the same processes, none started again");
    Wait.until(() -> {
      second.tick(); // as the agent's monitor does
      return processesCarrying(left.id()).isEmpty();
    }, "the leftover is stopped");
    Wait.until(() -> {
      second.tick(); // the monitor goes on ticking: the end is noticed, then the folder removed
      return !Files.exists(dir.resolve("tasks").resolve(left.id()));
    }, "and its state folder removed");
    assertTrue(Files.exists(dir.resolve("tasks").resolve(kept.id())));
  }

  /**
   * An agent killed after it started a task but before a heartbeat told the managers: the
   * assignment still says ASSIGNED. The next agent finds the task's state folder and adopts the
   * task instead of starting it a second time (which left the first process running, unseen).
   */
  @Test
  void aTaskTheManagersNeverHeardStartIsAdoptedNotStartedTwice() throws Exception {
    AssignedTask t = task("sh", "-c", "sleep 302");
    TaskSupervisor first = supervisor();
    first.sync(List.of(t));
    first.dataplaneApplied();
    Wait.until(() -> Processes.commandLines(processesCarrying(t.id())).contains("sleep 302"), "the program runs");
    List<Long> pids = processesCarrying(t.id());
    first.close(); // the agent goes away before any heartbeat: for the managers the task is still ASSIGNED

    TaskSupervisor second = supervisor();
    second.sync(List.of(t));
    assertEquals("adopted after an agent restart", reportOf(second, t).message());
    second.dataplaneApplied();
    second.tick();
    Thread.sleep(300);
    assertEquals(pids, processesCarrying(t.id()), "the same processes, none started again");
  }

  @Test
  void aTaskOfAnExecutorThisNodeDoesNotHaveIsRejected() {
    AssignedTask t = new AssignedTask(newTaskId(), "dk.1", TaskState.RUNNING, TaskState.ASSIGNED, List.of(),
        new TaskRuntime("docker", "busybox", List.of(), Map.of()));
    TaskSupervisor sup = supervisor();
    sup.sync(List.of(t));
    TaskReport r = reportOf(sup, t);
    assertEquals(TaskState.REJECTED, r.state());
    assertEquals("no executor \"docker\" on this node", r.message());
  }

  @Test
  void theSupervisorHoldsNoThreadPerTask() throws Exception {
    TaskSupervisor sup = supervisor();
    List<AssignedTask> tasks = new ArrayList<>(List.of(task("sh", "-c", "sleep 300")));
    sup.sync(tasks);
    sup.dataplaneApplied();
    Wait.until(() -> Processes.commandLines(processesCarrying(tasks.get(0).id())).contains("sleep 300"), "one task runs");
    Thread.sleep(500);
    int withOne = ManagementFactory.getThreadMXBean().getThreadCount();
    for (int i = 0; i < 20; i++) {
      tasks.add(task("sh", "-c", "sleep 300"));
    }
    sup.sync(tasks);
    sup.dataplaneApplied();
    for (AssignedTask t : tasks) {
      assertEquals(TaskState.RUNNING, reportOf(sup, t).state());
    }
    for (AssignedTask t : tasks) {
      Wait.until(() -> Processes.commandLines(processesCarrying(t.id())).contains("sleep 300"), "task " + t.name() + " runs");
    }
    sup.tick();
    int withTwentyOne = ManagementFactory.getThreadMXBean().getThreadCount();
    assertTrue(withTwentyOne <= withOne + 2, "threads with 1 task: " + withOne + ", with 21: " + withTwentyOne);

    sup.stopAll();
    assertEquals(List.of(), sup.reports(), "every task stopped, removed and forgotten");
    for (AssignedTask t : tasks) {
      assertEquals(List.of(), processesCarrying(t.id()));
    }
  }

  private TaskSupervisor supervisor() {
    TaskSupervisor s = new TaskSupervisor(nodeNs, dir.resolve("logs"), dir.resolve("tasks"), executors);
    supervisors.add(s);
    return s;
  }

  private AssignedTask task(String image, String... command) {
    String id = newTaskId();
    return new AssignedTask(id, "t." + taskIds.size() + "." + id.substring(0, 6), TaskState.RUNNING, TaskState.ASSIGNED,
        List.of(), new TaskRuntime(ProcessExecutor.NAME, image, List.of(command), Map.of()));
  }

  private static AssignedTask shutdown(AssignedTask t) {
    return new AssignedTask(t.id(), t.name(), TaskState.SHUTDOWN, TaskState.RUNNING, t.attachments(), t.runtime());
  }

  private String newTaskId() {
    String id = String.format("%010x", ThreadLocalRandom.current().nextLong() & 0xffffffffffL) + "mptsup";
    taskIds.add(id);
    return id;
  }

  private static TaskReport reportOf(TaskSupervisor sup, AssignedTask t) {
    return sup.reports().stream().filter(r -> r.taskId().equals(t.id())).findFirst()
        .orElseThrow(() -> new AssertionError("no report of task " + t.name() + " in " + sup.reports()));
  }

  private static TaskReport awaitReport(TaskSupervisor sup, AssignedTask t, TaskState state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      sup.tick();
      TaskReport r = sup.reports().stream().filter(x -> x.taskId().equals(t.id())).findFirst().orElse(null);
      if (r != null && r.state() == state) {
        return r;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("task " + t.name() + " not " + state + " within 30 s: " + r);
      }
      Thread.sleep(100);
    }
  }

  private String log(AssignedTask t) {
    try {
      return Files.readString(dir.resolve("logs").resolve(t.id() + ".log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** The witness: every pid whose /proc environ holds MESHPLANE_TASK=id, read independently (testkit). */
  private static List<Long> processesCarrying(String taskId) {
    return Processes.ofTask(taskId);
  }

  private static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
    return out;
  }
}
