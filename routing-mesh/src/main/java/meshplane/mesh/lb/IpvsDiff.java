package meshplane.mesh.lb;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The IPVS changes that turn a sandbox's observed firewall-mark services into the desired ones,
 * Swarm's way of removing a backend: first drained with weight 0 (established connections go on,
 * new ones go elsewhere), deleted by a later pass once it has no active connection. Pure.
 */
public final class IpvsDiff {
  /** What the kernel has for one destination. */
  public record Observed(int weight, int activeConnections) {}

  private IpvsDiff() {}

  /**
   * @param desired mark to the backend addresses that should serve it
   * @param observed mark to address to the destination's state, as listed from the kernel
   * @param scope the marks to consider (others are left alone), or null for all
   */
  public static List<IpvsChange> changes(Map<Integer, List<String>> desired, Map<Integer, Map<String, Observed>> observed,
      Set<Integer> scope) {
    List<IpvsChange> out = new ArrayList<>();
    for (Map.Entry<Integer, List<String>> d : desired.entrySet()) {
      int mark = d.getKey();
      if (scope != null && !scope.contains(mark)) {
        continue;
      }
      Map<String, Observed> have = observed.get(mark);
      if (have == null) {
        out.add(new IpvsChange.AddService(mark));
        have = Map.of();
      }
      for (String ip : d.getValue()) {
        Observed o = have.get(ip);
        if (o == null) {
          out.add(new IpvsChange.AddDestination(mark, ip));
        } else if (o.weight() == 0) {
          out.add(new IpvsChange.SetWeight(mark, ip, 1));
        }
      }
      for (Map.Entry<String, Observed> h : have.entrySet()) {
        if (!d.getValue().contains(h.getKey())) {
          drain(out, mark, h.getKey(), h.getValue());
        }
      }
    }
    for (Map.Entry<Integer, Map<String, Observed>> o : observed.entrySet()) {
      int mark = o.getKey();
      if (desired.containsKey(mark) || (scope != null && !scope.contains(mark))) {
        continue;
      }
      boolean busy = false;
      for (Map.Entry<String, Observed> h : o.getValue().entrySet()) {
        drain(out, mark, h.getKey(), h.getValue());
        busy |= h.getValue().activeConnections() > 0 || h.getValue().weight() > 0;
      }
      if (!busy) {
        out.add(new IpvsChange.DeleteService(mark));
      }
    }
    return out;
  }

  private static void drain(List<IpvsChange> out, int mark, String ip, Observed o) {
    if (o.weight() > 0) {
      out.add(new IpvsChange.SetWeight(mark, ip, 0));
    } else if (o.activeConnections() == 0) {
      out.add(new IpvsChange.DeleteDestination(mark, ip));
    }
  }
}
