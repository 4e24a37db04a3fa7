package meshplane.node.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import meshplane.cluster.model.ResourceLimits;
import meshplane.testkit.Processes;
import meshplane.testkit.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Resource limits of the process executor on a real process, in a fresh namespace mpt-cg-*: the
 * witnesses are the kernel's cgroup files (read by the test itself, from the mounts), the
 * process's /proc/PID/cgroup, and what becomes of the process.
 */
@Tag("kernel")
class TaskCgroupKernelTest {
  private String ns;
  private Path dir;
  private final List<TaskLaunch> launches = new ArrayList<>();
  private ProcessExecutor executor;
  private CgroupHierarchy hierarchy;

  @BeforeEach
  void namespace() throws Exception {
    hierarchy = CgroupHierarchy.detect().orElseThrow(() -> new AssertionError("this host has no cpu, memory and pids cgroups"));
    ns = "mpt-cg-" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    dir = Files.createTempDirectory("mpt-cg-");
    executor = new ProcessExecutor(dir);
    run("ip", "netns", "add", ns);
    run("ip", "-n", ns, "link", "set", "lo", "up");
  }

  @AfterEach
  void removeEverything() throws Exception {
    for (TaskLaunch l : launches) {
      Processes.ofTask(l.taskId()).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    }
    for (TaskLaunch l : launches) {
      Wait.until(() -> Processes.ofTask(l.taskId()).isEmpty(), "the processes of " + l.taskId() + " end");
      executor.cleanup(l);
    }
    new ProcessBuilder("ip", "netns", "del", ns).start().waitFor();
    executor.close();
    Folders.deleteTree(dir);
    for (TaskLaunch l : launches) {
      for (Path d : new TaskCgroup(hierarchy, l.taskId()).dirs()) {
        assertFalse(Files.exists(d), "teardown left the cgroup " + d);
      }
    }
  }

  @Test
  void theHostsHierarchyIsTheOneItHas() throws Exception {
    String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
    boolean v2WithAll = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
        && Files.readString(Path.of("/sys/fs/cgroup/cgroup.controllers")).contains("memory");
    assertEquals(v2WithAll, hierarchy.unified(), hierarchy + " against " + mountinfo.lines().filter(l -> l.contains("cgroup")).toList());
    if (!hierarchy.unified()) {
      assertEquals(Path.of("/sys/fs/cgroup/memory"), hierarchy.mounts().get("memory"));
      assertEquals(Path.of("/sys/fs/cgroup/pids"), hierarchy.mounts().get("pids"));
    }
  }

  @Test
  void aCpuLimitIsAQuotaOfTheKernelsAndThrottlesABusyLoop() throws Exception {
    TaskLaunch l = launch(new ResourceLimits(500_000_000L, null, null), "sh", "-c", "while :; do :; done");
    RunningTask t = executor.start(l);
    Path cpu = new TaskCgroup(hierarchy, l.taskId()).dir("cpu");
    if (hierarchy.unified()) {
      assertEquals("50000 100000", Files.readString(cpu.resolve("cpu.max")).trim());
    } else {
      assertEquals("50000", Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim());
      assertEquals("100000", Files.readString(cpu.resolve("cpu.cfs_period_us")).trim());
    }
    long pid = ((ProcessTask) t).pid();
    Path procCgroup = Path.of("/proc/" + pid + "/cgroup");
    // the launcher joins the cgroup once it has started the log writer, before it execs the task
    Wait.until(() -> read(procCgroup).contains("cpu:/meshplane/" + l.taskId()), "the task is in its cgroup");
    String cgroups = read(procCgroup);
    for (String c : List.of("cpu", "memory", "pids")) {
      assertTrue(cgroups.lines().anyMatch(x -> x.matches("\\d+:" + (hierarchy.unified() ? "" : c) + ":/meshplane/" + l.taskId())),
          c + ": " + cgroups);
    }
    Thread.sleep(1500);
    long throttled = Files.readAllLines(cpu.resolve("cpu.stat")).stream().filter(s -> s.startsWith("nr_throttled "))
        .mapToLong(s -> Long.parseLong(s.split(" ")[1])).findFirst().orElseThrow();
    assertTrue(throttled > 0, "the busy loop was throttled: nr_throttled " + throttled);
    t.terminate();
  }

  @Test
  void aPidsLimitRefusesForksBeyondIt() throws Exception {
    // unshare, the task's shell (PID 1) and the program's shell are 3 of the 8; 5 sleeps fit, the 6th fork is refused
    TaskLaunch l = launch(new ResourceLimits(null, null, 8L), "sh", "-c",
        "for i in 1 2 3 4 5 6 7 8 9 10; do sleep 30 & echo \"forked $i\"; done; echo all forked");
    RunningTask t = executor.start(l);
    Path pids = new TaskCgroup(hierarchy, l.taskId()).dir("pids");
    assertEquals("8", Files.readString(pids.resolve("pids.max")).trim());
    Wait.until(() -> !t.isAlive(), "the task ends (dash gives up when it cannot fork)");
    String log = read(l.logFile());
    assertTrue(log.contains("forked 5\n") && !log.contains("forked 6") && !log.contains("all forked"), log);
    assertTrue(log.contains("Cannot fork"), "the shell says it could not fork: " + log);
    assertEquals(2, t.exitCode().orElseThrow(), log);
    String events = Files.readString(pids.resolve("pids.events")).trim();
    assertTrue(events.matches("max [1-9]\\d*"), "the kernel refused forks: " + events);
  }

  @Test
  void aMemoryLimitOomKillsAProcessThatAllocatesPastIt() throws Exception {
    // tail -n 1 keeps a line without end in memory: 200 MiB of zeros against a limit of 32 MiB
    TaskLaunch l = launch(new ResourceLimits(null, 32L << 20, null), "sh", "-c",
        "head -c 209715200 /dev/zero | tail -n 1 > /dev/null");
    RunningTask t = executor.start(l);
    Path memory = new TaskCgroup(hierarchy, l.taskId()).dir("memory");
    assertEquals(String.valueOf(32L << 20),
        Files.readString(memory.resolve(hierarchy.unified() ? "memory.max" : "memory.limit_in_bytes")).trim());
    Wait.until(() -> !t.isAlive(), "the task ends");
    assertEquals(137, t.exitCode().orElseThrow(), "the program was killed by SIGKILL: " + Files.readString(l.logFile()));
    String oom = Files.readString(memory.resolve(hierarchy.unified() ? "memory.events" : "memory.oom_control"));
    assertTrue(oom.lines().anyMatch(s -> s.matches("oom_kill [1-9]\\d*")), oom);
    assertEquals("OOM killed (memory limit 32 MiB)", t.endReason().orElseThrow());
  }

  @Test
  void aTaskWithoutLimitsHasNoCgroupAndALeftoverCgroupIsRemovedByAnotherExecutor() throws Exception {
    TaskLaunch none = launch(null, "sh", "-c", "true");
    RunningTask t0 = executor.start(none);
    Wait.until(() -> !t0.isAlive(), "true ends");
    assertFalse(Files.exists(new TaskCgroup(hierarchy, none.taskId()).dir("memory")));
    TaskLaunch l = launch(new ResourceLimits(null, 64L << 20, 50L), "sh", "-c", "exit 0");
    RunningTask t = executor.start(l);
    Wait.until(() -> !t.isAlive(), "the task ends");
    TaskCgroup cg = new TaskCgroup(hierarchy, l.taskId());
    cg.dirs().forEach(d -> assertTrue(Files.isDirectory(d), d + " is there until the task is removed"));
    // a daemon restarted: another executor cleans the leftover task up, its cgroup with it
    new ProcessExecutor(dir).cleanup(l);
    cg.dirs().forEach(d -> assertFalse(Files.exists(d), d + " is removed with the task"));
    // a lab's teardown after a daemon was killed: the cgroups of the state folders left
    TaskLaunch left = launch(new ResourceLimits(null, null, 50L), "sh", "-c", "exit 0");
    RunningTask t2 = executor.start(left);
    Wait.until(() -> !t2.isAlive(), "the task ends");
    assertEquals(1, TaskCgroup.removeLeftovers(dir));
    new TaskCgroup(hierarchy, left.taskId()).dirs().forEach(d -> assertFalse(Files.exists(d), d + " removed"));
  }

  private TaskLaunch launch(ResourceLimits limits, String image, String... command) {
    String id = "mptcg" + String.format("%020x", ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE).substring(0, 20);
    TaskLaunch l = new TaskLaunch(id, "cg.1." + id.substring(0, 9), ns, image, List.of(command), Map.of(),
        dir.resolve(id + ".log"), dir.resolve(id), limits, null);
    launches.add(l);
    executor.prepare(l);
    return l;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), String.join(" ", argv) + ": " + out);
  }
}
