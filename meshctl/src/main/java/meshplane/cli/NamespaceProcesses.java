package meshplane.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshplane.netlink.NetNamespace;

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

  /** SIGKILLs every process in {@code namespaces} (never this one) and waits for them to end. */
  static int killAll(List<String> namespaces) {
    Set<Long> pids = pidsIn(namespaces);
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
