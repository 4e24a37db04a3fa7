package meshplane.control.exec;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import meshplane.netlink.NetNamespace;

/**
 * Gives a container's network namespace a name under /run/netns, as {@code ip netns attach NAME
 * PID} does: /run/netns is made a shared mount point (like {@link NetNamespace#create}), an
 * empty file is created there and the namespace is bind-mounted onto it. The routing mesh and
 * {@code ip netns exec} then find the container's namespace by that name. Unbinding is
 * {@link NetNamespace#delete} (lazy unmount, unlink).
 *
 * <p>The namespace is opened first and bound through {@code /proc/self/fd/N}, so the name is
 * bound to the namespace the caller checked, even if the process ends meanwhile.
 */
final class DockerNetns {
  private DockerNetns() {}

  /** Opens the network namespace of {@code pid}; the caller closes it after {@link #bind}. */
  static NetNamespace open(long pid) {
    return NetNamespace.ofPid(pid);
  }

  /** Binds an open namespace to {@code /run/netns/<name>}; a stale binding of that name is replaced. */
  static void bind(NetNamespace ns, String name) {
    Path target = NetNamespace.RUN_NETNS.resolve(name);
    if (NetNamespace.exists(name)) {
      NetNamespace.delete(name);
    }
    prepareRunNetns();
    try {
      Files.createFile(target);
    } catch (IOException e) {
      throw new UncheckedIOException("bind netns " + name + ": cannot create " + target, e);
    }
    String source = "/proc/self/fd/" + ns.fd();
    try {
      Mount.INSTANCE.mount(source, target.toString(), "none", Mount.MS_BIND, null);
    } catch (LastErrorException e) {
      try {
        Files.deleteIfExists(target);
      } catch (IOException ignored) {
        // the mount error is the one worth reporting
      }
      throw new IllegalStateException("bind netns " + name + ": mount --bind " + ns.name() + " onto " + target
          + " failed: errno " + e.getErrorCode(), e);
    }
  }

  /** True if {@code /run/netns/<name>} is the namespace {@code ns} (same nsfs inode). */
  static boolean isBoundTo(String name, NetNamespace ns) {
    if (!NetNamespace.exists(name)) {
      return false;
    }
    try (NetNamespace bound = NetNamespace.open(name)) {
      return bound.identity().equals(ns.identity());
    } catch (RuntimeException e) {
      return false; // a file that is no namespace (a dead binding) is no binding
    }
  }

  /** Removes the name; the namespace goes away with its last process and handle. */
  static void unbind(String name) {
    NetNamespace.delete(name);
  }

  /** Makes /run/netns exist and be a shared mount point, as {@code ip netns} does. */
  private static synchronized void prepareRunNetns() {
    Path runNetns = NetNamespace.RUN_NETNS;
    try {
      Files.createDirectories(runNetns);
    } catch (IOException e) {
      throw new UncheckedIOException("create " + runNetns, e);
    }
    String dir = runNetns.toString();
    try {
      Mount.INSTANCE.mount("", dir, "none", Mount.MS_SHARED | Mount.MS_REC, null);
      return;
    } catch (LastErrorException e) {
      if (e.getErrorCode() != Mount.EINVAL) {
        throw new IllegalStateException("make " + dir + " a shared mount point: errno " + e.getErrorCode(), e);
      }
    }
    // Not a mount point yet: bind it onto itself, then share it.
    try {
      Mount.INSTANCE.mount(dir, dir, "none", Mount.MS_BIND | Mount.MS_REC, null);
      Mount.INSTANCE.mount("", dir, "none", Mount.MS_SHARED | Mount.MS_REC, null);
    } catch (LastErrorException e) {
      throw new IllegalStateException("bind-mount and share " + dir + ": errno " + e.getErrorCode(), e);
    }
  }

  /** mount(2), the one libc call this needs (meshplane.netlink's LibC is not public). */
  private interface Mount extends Library {
    Mount INSTANCE = Native.load("c", Mount.class);
    long MS_BIND = 4096;
    long MS_REC = 16384;
    long MS_SHARED = 1 << 20;
    int EINVAL = 22;

    int mount(String source, String target, String fsType, long flags, Pointer data) throws LastErrorException;
  }
}
