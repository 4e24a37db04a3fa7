package meshplane.mesh;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.ServiceSpec;

/**
 * The services last applied, by name, with who owns each mark, VIP and published port, so one
 * service changed alone is checked against the others by index, not by a scan.
 */
final class AppliedServices {
  private final Map<String, ServiceSpec> byName = new LinkedHashMap<>();
  private final Map<Integer, String> markOwners = new HashMap<>();
  private final Map<String, String> vipOwners = new HashMap<>();
  private final Map<String, String> portOwners = new HashMap<>();

  ServiceSpec get(String name) {
    return byName.get(name);
  }

  List<ServiceSpec> all() {
    return List.copyOf(byName.values());
  }

  void replaceAll(List<ServiceSpec> services) {
    byName.clear();
    markOwners.clear();
    vipOwners.clear();
    portOwners.clear();
    services.forEach(this::remember);
  }

  void remember(ServiceSpec s) {
    byName.put(s.name(), s);
    markOwners.put(s.mark(), s.name());
    s.vips().forEach((net, vip) -> vipOwners.put(net + "/" + vip.getHostAddress(), s.name()));
    s.ports().forEach(p -> portOwners.put(p.key(), s.name()));
  }

  void forget(ServiceSpec s) {
    byName.remove(s.name());
    markOwners.remove(s.mark(), s.name());
    s.vips().forEach((net, vip) -> vipOwners.remove(net + "/" + vip.getHostAddress(), s.name()));
    s.ports().forEach(p -> portOwners.remove(p.key(), s.name()));
  }

  /** What {@code s} would take from another service: its mark, a VIP, a published port; empty when nothing. */
  List<String> conflicts(ServiceSpec s) {
    List<String> problems = new ArrayList<>();
    String markOwner = markOwners.get(s.mark());
    if (markOwner != null && !markOwner.equals(s.name())) {
      problems.add("service " + s.name() + ".mark: " + s.mark() + " is used by service " + markOwner);
    }
    for (Map.Entry<String, Inet4Address> v : s.vips().entrySet()) {
      String vip = v.getValue().getHostAddress();
      String owner = vipOwners.get(v.getKey() + "/" + vip);
      if (owner != null && !owner.equals(s.name())) {
        problems.add("service " + s.name() + ".vips." + v.getKey() + ": " + vip + " is the VIP of service " + owner);
      }
    }
    for (PortSpec p : s.ports()) {
      String owner = portOwners.get(p.key());
      if (owner != null && !owner.equals(s.name())) {
        problems.add("service " + s.name() + ".ports: " + p.key() + " is published by service " + owner);
      }
    }
    return problems;
  }
}
