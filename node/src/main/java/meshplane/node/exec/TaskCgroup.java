package meshplane.node.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import meshplane.cluster.model.ResourceLimits;

/**
 * One task's cgroup, {@code <hierarchy>/meshplane/<task id>} (in each v1 hierarchy of cpu, memory
 * and pids, or once in cgroup2), holding its limits: CPU as a CFS quota of a 100 ms period
 * ({@code cpu.cfs_quota_us} / {@code cpu.max}), memory with no swap beyond it
 * ({@code memory.limit_in_bytes} and {@code memory.memsw.limit_in_bytes} / {@code memory.max} and
 * {@code memory.swap.max}), and {@code pids.max}. The task's launcher writes its own pid to
 * {@link #procsFiles} before it execs the task, so every process of the task is in it from the
 * start. Removed with the task ({@link #remove}), after an agent restart too (the name is the
 * task id).
 */
public final class TaskCgroup {
  static final String PARENT = "meshplane";
  static final long PERIOD_US = 100_000;

  private final CgroupHierarchy hierarchy;
  private final String taskId;

  TaskCgroup(CgroupHierarchy hierarchy, String taskId) {
    this.hierarchy = hierarchy;
    this.taskId = taskId;
  }

  /** The folders of this task's cgroup, one per hierarchy. */
  List<Path> dirs() {
    Set<Path> dirs = new LinkedHashSet<>();
    for (String c : CgroupHierarchy.CONTROLLERS) {
      dirs.add(dir(c));
    }
    return List.copyOf(dirs);
  }

  Path dir(String controller) {
    return hierarchy.mounts().get(controller).resolve(PARENT).resolve(taskId);
  }

  /** The files the launcher writes its pid to. */
  List<Path> procsFiles() {
    return dirs().stream().map(d -> d.resolve("cgroup.procs")).toList();
  }

  /** Makes the cgroup and writes the limits; an error names the file and the kernel's answer. */
  void create(ResourceLimits limits) {
    if (hierarchy.unified()) {
      Path root = hierarchy.mounts().get("memory");
      enableControllers(root);
      mkdir(root.resolve(PARENT));
      enableControllers(root.resolve(PARENT));
    }
    for (Path d : dirs()) {
      mkdir(d.getParent());
      mkdir(d);
    }
    if (limits.nanoCpus() != null) {
      long quota = Math.max(1000, limits.nanoCpus() * PERIOD_US / ResourceLimits.NANOS_PER_CPU);
      if (hierarchy.unified()) {
        write(dir("cpu").resolve("cpu.max"), quota + " " + PERIOD_US);
      } else {
        write(dir("cpu").resolve("cpu.cfs_period_us"), String.valueOf(PERIOD_US));
        write(dir("cpu").resolve("cpu.cfs_quota_us"), String.valueOf(quota));
      }
    }
    if (limits.memoryBytes() != null) {
      if (hierarchy.unified()) {
        write(dir("memory").resolve("memory.max"), String.valueOf(limits.memoryBytes()));
        writeIfPresent(dir("memory").resolve("memory.swap.max"), "0");
      } else {
        write(dir("memory").resolve("memory.limit_in_bytes"), String.valueOf(limits.memoryBytes()));
        writeIfPresent(dir("memory").resolve("memory.memsw.limit_in_bytes"), String.valueOf(limits.memoryBytes()));
      }
    }
    if (limits.pids() != null) {
      write(dir("pids").resolve("pids.max"), String.valueOf(limits.pids()));
    }
  }

  /** Whether the cgroup exists (in the memory hierarchy). */
  boolean exists() {
    return Files.isDirectory(dir("memory"));
  }

  /** How many times the kernel's OOM killer killed a process of the task ({@code oom_kill}); 0 without a cgroup. */
  long oomKills() {
    Path file = dir("memory").resolve(hierarchy.unified() ? "memory.events" : "memory.oom_control");
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith("oom_kill ")) {
          return Long.parseLong(line.substring("oom_kill ".length()).trim());
        }
      }
      return 0;
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("task " + taskId + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** The memory limit in bytes, as the kernel holds it; empty without one. */
  Optional<Long> memoryLimit() {
    Path file = dir("memory").resolve(hierarchy.unified() ? "memory.max" : "memory.limit_in_bytes");
    try {
      String v = Files.readString(file).trim();
      long bytes = v.equals("max") ? Long.MAX_VALUE : Long.parseLong(v);
      return bytes >= (1L << 62) ? Optional.empty() : Optional.of(bytes);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Why the task ended, when the cgroup knows: {@code OOM killed (memory limit 64 MiB)}. */
  Optional<String> endReason() {
    if (!exists() || oomKills() == 0) {
      return Optional.empty();
    }
    return Optional.of("OOM killed" + memoryLimit().map(b -> " (memory limit " + bytes(b) + ")").orElse(""));
  }

  /** Removes the cgroup (it must hold no process any more); absent is fine. */
  void remove() {
    for (Path d : dirs()) {
      try {
        Files.deleteIfExists(d); // rmdir(2): a cgroup's files go with it
      } catch (IOException e) {
        throw new UncheckedIOException("task " + taskId + ": cannot remove its cgroup " + d + ": " + e.getMessage(), e);
      }
    }
  }

  /**
   * Removes the cgroups of the tasks that have a state folder in {@code tasksDir} (a lab's
   * teardown, once their processes are killed): what a daemon killed before it removed its tasks
   * left. A cgroup that still holds a process stays (rmdir refuses it); returns how many went.
   */
  public static int removeLeftovers(Path tasksDir) {
    Optional<CgroupHierarchy> h = CgroupHierarchy.detect();
    if (h.isEmpty() || !Files.isDirectory(tasksDir)) {
      return 0;
    }
    int removed = 0;
    try (var list = Files.list(tasksDir)) {
      for (Path task : list.filter(Files::isDirectory).toList()) {
        TaskCgroup c = new TaskCgroup(h.get(), task.getFileName().toString());
        if (c.exists()) {
          try {
            c.remove();
            removed++;
          } catch (UncheckedIOException busy) {
            // a process still runs in it: not ours to end here
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the task state folders in " + tasksDir + ": " + e.getMessage(), e);
    }
    return removed;
  }

  static String bytes(long b) {
    if (b % (1L << 30) == 0) {
      return (b >> 30) + " GiB";
    }
    if (b % (1L << 20) == 0) {
      return (b >> 20) + " MiB";
    }
    if (b % (1L << 10) == 0) {
      return (b >> 10) + " KiB";
    }
    return b + " bytes";
  }

  private void enableControllers(Path cgroup) {
    write(cgroup.resolve("cgroup.subtree_control"), "+cpu +memory +pids");
  }

  private void mkdir(Path d) {
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw new UncheckedIOException("task " + taskId + ": cannot make the cgroup " + d + ": " + e.getMessage(), e);
    }
  }

  private void write(Path file, String value) {
    try {
      Files.writeString(file, value);
    } catch (IOException e) {
      throw new UncheckedIOException("task " + taskId + ": cannot write " + value + " to " + file + ": " + e.getMessage(), e);
    }
  }

  private void writeIfPresent(Path file, String value) {
    if (Files.exists(file)) {
      write(file, value);
    }
  }

  @Override
  public String toString() {
    return "cgroup of task " + taskId + " in " + hierarchy;
  }
}
