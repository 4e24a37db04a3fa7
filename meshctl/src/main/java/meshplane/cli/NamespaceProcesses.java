package meshplane.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshplane.netlink.NetNamespace;
import meshplane.node.exec.TaskProcesses;

/**
 * The processes living in given network namespaces, found by the namespace's inode
 * ({@code /proc/PID/ns/net} -> {@code net:[INODE]}), as {@code ip netns pids} finds them. A lab's
 * teardown kills them so nothing of it outlives its namespaces.
 */
final class NamespaceProcesses {
  private NamespaceProcesses() {}

  static Set<Long> pidsIn(List<String> namespaces) {
    Set<String> inodes = new HashSet<>();
    for (String ns : namespaces) {
      try {
        Object ino = Files.getAttribute(NetNamespace.RUN_NETNS.resolve(ns), "unix:ino");
        inodes.add("net:[" + ino + "]");
      } catch (IOException | UnsupportedOperationException e) {
        // gone meanwhile
      }
    }
    Set<Long> pids = new HashSet<>();
    if (inodes.isEmpty()) {
      return pids;
    }
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(x -> x.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          if (inodes.contains(Files.readSymbolicLink(p.resolve("ns/net")).toString())) {
            pids.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException e) {
          // exited, or a kernel thread
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list /proc", e);
    }
    return pids;
  }

  /**
   * The task processes whose command line names a path under {@code folder}: a lab's tasks carry
   * the executor's mark ({@code MESHPLANE_TASK=...}) and name their state folder
   * ({@code /run/meshplane/<lab>/<node>/tasks/...}) even once their namespace has no name left in
   * /run/netns (a daemon that was killed while it removed them). Only tasks: a shell reading the
   * lab's logs names that folder too, and is left alone.
   */
  static Set<Long> tasksNaming(Path folder) {
    byte[] path = (folder.toString() + "/").getBytes(StandardCharsets.UTF_8);
    byte[] mark = (TaskProcesses.MARKER + "=").getBytes(StandardCharsets.UTF_8);
    Set<Long> pids = new HashSet<>();
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(x -> x.getFileName().toString().matches("[0-9]+")).toList()) {
        try {
          if (contains(Files.readAllBytes(p.resolve("cmdline")), path) && hasEntry(Files.readAllBytes(p.resolve("environ")), mark)) {
            pids.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException e) {
          // exited meanwhile
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list /proc", e);
    }
    return pids;
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  /** Whether one of the NUL-separated entries of {@code environ} starts with {@code prefix}. */
  private static boolean hasEntry(byte[] environ, byte[] prefix) {
    int start = 0;
    for (int i = 0; i <= environ.length; i++) {
      if (i == environ.length || environ[i] == 0) {
        if (i - start >= prefix.length && Arrays.equals(environ, start, start + prefix.length, prefix, 0, prefix.length)) {
          return true;
        }
        start = i + 1;
      }
    }
    return false;
  }

  /** SIGKILLs every process in {@code namespaces} (never this one) and waits for them to end. */
  static int killAll(List<String> namespaces) {
    return kill(pidsIn(namespaces));
  }

  /** SIGKILLs {@code pids} (never this process) and waits, a few seconds each at most, for them to end. */
  static int kill(Set<Long> found) {
    Set<Long> pids = new HashSet<>(found);
    pids.remove(ProcessHandle.current().pid());
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (long pid : pids) {
      ProcessHandle.of(pid).ifPresent(h -> {
        try {
          h.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
          // a zombie whose parent is gone; the kernel reaps it
        }
      });
    }
    return pids.size();
  }
}
