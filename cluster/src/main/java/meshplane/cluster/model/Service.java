package meshplane.cluster.model;

import java.util.Map;
import java.util.TreeMap;

/**
 * A service as the cluster holds it: the user's spec, its version (bumped by every update, so
 * tasks of an older spec are replaced), the firewall mark of its flows, and its VIP per network id
 * (none in dnsrr mode; the ingress network's when a port is published).
 */
public record Service(String id, ServiceSpec spec, long version, int mark, Map<String, String> vips,
    long createdAt, long updatedAt) {
  public Service {
    vips = vips == null ? Map.of() : Map.copyOf(new TreeMap<>(vips));
  }

  public String name() {
    return spec.name();
  }
}
