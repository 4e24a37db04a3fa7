package meshplane.vxlan;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pure planning for peers: the difference between the peers a host has and the peers it should
 * have, as the fewest {@link PeerChange}s. No kernel here; both VTEP kinds apply the result.
 */
public final class PeerTable {
  private PeerTable() {}

  /** Changes that turn {@code current} into {@code desired}: removals first, then re-points, then adds. */
  public static List<PeerChange> diff(Collection<Peer> current, Collection<Peer> desired) {
    Map<Peer.PeerKey, Peer> have = index(current, "current");
    Map<Peer.PeerKey, Peer> want = index(desired, "desired");
    List<PeerChange> removes = new ArrayList<>();
    List<PeerChange> repoints = new ArrayList<>();
    List<PeerChange> adds = new ArrayList<>();
    for (Peer p : have.values()) {
      Peer w = want.get(p.key());
      if (w == null) {
        removes.add(new PeerChange.Remove(p));
      } else if (!w.equals(p)) {
        repoints.add(new PeerChange.Repoint(p, w));
      }
    }
    for (Peer w : want.values()) {
      if (!have.containsKey(w.key())) {
        adds.add(new PeerChange.Add(w));
      }
    }
    List<PeerChange> out = new ArrayList<>(removes.size() + repoints.size() + adds.size());
    Comparator<PeerChange> byIp = Comparator.comparing(c -> c.peer().ip().getHostAddress());
    removes.sort(byIp);
    repoints.sort(byIp);
    adds.sort(byIp);
    out.addAll(removes);
    out.addAll(repoints);
    out.addAll(adds);
    return out;
  }

  private static Map<Peer.PeerKey, Peer> index(Collection<Peer> peers, String which) {
    Map<Peer.PeerKey, Peer> out = new LinkedHashMap<>();
    for (Peer p : peers) {
      Peer before = out.put(p.key(), p);
      if (before != null && !before.equals(p)) {
        throw new IllegalArgumentException("the " + which + " peers list " + p.ip().getHostAddress()
            + " on network " + p.network() + " twice: " + before + " and " + p);
      }
    }
    return out;
  }
}
