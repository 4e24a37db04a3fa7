package meshplane.lab;

import java.nio.file.Path;
import meshplane.netlink.NetNamespace;

/**
 * One host of the lab: a node, the client, or the underlay switch. Each is a named network
 * namespace; nodes and the client have an underlay address on eth0.
 */
public record LabHost(String name, Role role, String namespace, String underlayAddress) {

  /** What a host is for. */
  public enum Role {
    /** A cluster node (node1..nodeN). */
    NODE,
    /** The outside client that sends traffic in. */
    CLIENT,
    /** The namespace holding the underlay bridge. */
    UNDERLAY
  }

  /** The path of the namespace's bind mount, for {@code nsenter --net=PATH}. */
  public Path namespacePath() {
    return NetNamespace.RUN_NETNS.resolve(namespace);
  }

  /** The command that opens a shell inside this host. */
  public String nsenterCommand() {
    return "nsenter --net=" + namespacePath();
  }

  /** Opens a handle on the host's namespace; the caller closes it. */
  public NetNamespace openNamespace() {
    return NetNamespace.open(namespace);
  }
}
