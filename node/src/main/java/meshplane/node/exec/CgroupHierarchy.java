package meshplane.node.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where this host's cgroup controllers for task limits (cpu, memory, pids) are: the cgroup2
 * (unified) hierarchy when it has all three available, else the cgroup v1 hierarchies that hold
 * each (docker's order of preference too). Read from {@code /proc/self/mountinfo}; only
 * hierarchies mounted at their root count.
 */
public record CgroupHierarchy(boolean unified, Map<String, Path> mounts) {
  public static final List<String> CONTROLLERS = List.of("cpu", "memory", "pids");

  public CgroupHierarchy {
    mounts = Map.copyOf(mounts);
  }

  /** This host's, from {@code /proc/self/mountinfo}; empty when it has none of them usable. */
  public static Optional<CgroupHierarchy> detect() {
    try {
      return detect(Files.readAllLines(Path.of("/proc/self/mountinfo")), CgroupHierarchy::controllersOf);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** From mountinfo lines; {@code available} reads a cgroup2 mount's {@code cgroup.controllers}. */
  static Optional<CgroupHierarchy> detect(List<String> mountinfo, java.util.function.Function<Path, Set<String>> available) {
    Map<String, Path> v1 = new LinkedHashMap<>();
    for (String line : mountinfo) {
      String[] halves = line.split(" - ", 2);
      String[] f = halves[0].split(" ");
      if (halves.length < 2 || f.length < 5 || !f[3].equals("/")) {
        continue;
      }
      String[] after = halves[1].split(" ");
      Path mount = Path.of(f[4]);
      if (after[0].equals("cgroup2") && available.apply(mount).containsAll(CONTROLLERS)) {
        return Optional.of(new CgroupHierarchy(true, Map.of("cpu", mount, "memory", mount, "pids", mount)));
      }
      if (after[0].equals("cgroup") && after.length >= 3) {
        for (String option : after[2].split(",")) {
          if (CONTROLLERS.contains(option)) {
            v1.putIfAbsent(option, mount);
          }
        }
      }
    }
    return v1.keySet().containsAll(CONTROLLERS) ? Optional.of(new CgroupHierarchy(false, v1)) : Optional.empty();
  }

  private static Set<String> controllersOf(Path cgroup2) {
    try {
      return Set.of(Files.readString(cgroup2.resolve("cgroup.controllers")).trim().split("\\s+"));
    } catch (IOException e) {
      return Set.of();
    }
  }

  @Override
  public String toString() {
    return unified ? "cgroup2 at " + mounts.get("memory") : "cgroup v1 " + mounts;
  }
}
