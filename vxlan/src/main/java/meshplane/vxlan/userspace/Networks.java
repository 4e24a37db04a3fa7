package meshplane.vxlan.userspace;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The networks a VTEP carries, by VNI (looked up for every datagram, from the event loop) and by
 * id. Both maps are immutable copies swapped on change, so the event loop never locks.
 */
final class Networks {
  private volatile Map<Integer, NetworkPort> byVni = Map.of();
  private volatile Map<String, NetworkPort> byId = Map.of();

  NetworkPort byVni(int vni) {
    return byVni.get(vni);
  }

  NetworkPort byId(String id) {
    return byId.get(id);
  }

  Collection<NetworkPort> all() {
    return byId.values();
  }

  /** Adds a port; refuses a network id or a VNI already carried, naming both networks. */
  synchronized void add(NetworkPort port) {
    String id = port.network().id();
    int vni = port.network().vni();
    if (byId.containsKey(id)) {
      throw new IllegalArgumentException("add network " + id + ": it is carried already (remove it first)");
    }
    NetworkPort sameVni = byVni.get(vni);
    if (sameVni != null) {
      throw new IllegalArgumentException("add network " + id + ": vni " + vni + " is carried already for network "
          + sameVni.network().id());
    }
    Map<Integer, NetworkPort> vnis = new HashMap<>(byVni);
    vnis.put(vni, port);
    Map<String, NetworkPort> ids = new HashMap<>(byId);
    ids.put(id, port);
    byVni = Map.copyOf(vnis);
    byId = Map.copyOf(ids);
  }

  /** Removes and returns the port of a network, or null when it is not carried. */
  synchronized NetworkPort remove(String id) {
    NetworkPort port = byId.get(id);
    if (port == null) {
      return null;
    }
    Map<Integer, NetworkPort> vnis = new HashMap<>(byVni);
    vnis.remove(port.network().vni());
    Map<String, NetworkPort> ids = new HashMap<>(byId);
    ids.remove(id);
    byVni = Map.copyOf(vnis);
    byId = Map.copyOf(ids);
    return port;
  }
}
