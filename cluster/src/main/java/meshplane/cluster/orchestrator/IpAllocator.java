package meshplane.cluster.orchestrator;

import java.util.HashSet;
import java.util.Set;
import meshplane.cluster.model.Attachment;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.Subnets;
import meshplane.cluster.model.Task;

/**
 * Addresses on one network (docs/control-plane.md, "Ids and names"): the lowest free host address
 * of the subnet, skipping the gateway, every node's lb address, every VIP and the address of every
 * task still in the state (ended tasks kept as history hold theirs until they are removed).
 */
public final class IpAllocator {
  private IpAllocator() {}

  /**
   * The addresses of network {@code n} in use in {@code s} (the state, or a plan's working set),
   * from its indexes: the services with a VIP on it and the tasks attached to it, not every one.
   */
  public static Set<String> used(ClusterState s, Network n) {
    Set<String> used = new HashSet<>();
    used.add(n.gateway());
    used.addAll(n.lbAddresses().values());
    for (Service svc : s.servicesWithVipOn(n.id())) {
      String vip = svc.vips().get(n.id());
      if (vip != null) {
        used.add(vip);
      }
    }
    for (Task t : s.tasksAttachedTo(n.id())) {
      for (Attachment a : t.attachments()) {
        if (a.network().equals(n.id())) {
          used.add(a.ip());
        }
      }
    }
    return used;
  }

  /** The lowest host address of {@code n}'s subnet not in {@code used}; adds it to {@code used}. */
  public static String take(Network n, Set<String> used) {
    int[] p = Subnets.parse(n.subnet());
    long first = Integer.toUnsignedLong(p[0]) + 1;
    long last = Integer.toUnsignedLong(p[0]) + (1L << (32 - p[1])) - 2;
    for (long a = first; a <= last; a++) {
      String ip = Subnets.toIp((int) a);
      if (used.add(ip)) {
        return ip;
      }
    }
    throw new CommandRejectedException("network " + n.name() + " (" + n.subnet() + ") has no free address left");
  }

  /** The lowest free host address of {@code n} in state {@code s}. */
  public static String lowestFree(ClusterState s, Network n) {
    return take(n, used(s, n));
  }
}
