package meshplane.node.exec;

import meshplane.netlink.NetNamespace;

/**
 * Gives a container's network namespace a name under /run/netns, as {@code ip netns attach NAME
 * PID} does ({@link NetNamespace#attach}). The routing mesh and
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
    if (NetNamespace.exists(name)) {
      NetNamespace.delete(name);
    }
    NetNamespace.attach(name, ns);
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
}
