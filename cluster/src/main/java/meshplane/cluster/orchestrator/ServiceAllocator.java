package meshplane.cluster.orchestrator;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceSpec;

/**
 * {@code service create} and {@code service update}: validates the spec, then picks what the
 * leader must choose before proposing: the id, the firewall mark (256 + n, the smallest free),
 * published ports given as 0 (the lowest free of the cluster's automatic range) and a VIP per
 * network in vip mode (the ingress network's too when the service publishes ports).
 */
public final class ServiceAllocator {
  static final int FIRST_MARK = 256;

  private ServiceAllocator() {}

  public static Service create(ClusterState s, ServiceSpec spec, long now, IdGenerator ids) {
    ServiceSpecValidator.check(s, spec);
    StateLimits.checkService(s, null, spec);
    nameFree(s, spec.name(), null);
    ServiceSpec resolved = spec.withPorts(ports(s, spec.ports(), List.of(), null));
    int mark = s.lowestFreeMark(FIRST_MARK);
    String id = ids.newId();
    while (s.services().containsKey(id)) {
      id = ids.newId();
    }
    return new Service(id, resolved, 1, mark, vips(s, resolved, Map.of()), now, now);
  }

  /**
   * The service after {@code spec} replaces {@code old}'s: same id and mark, VIPs kept on the
   * networks that stay. The version goes up by one when anything other than the replica count
   * changed (that is what makes the orchestrator replace the tasks); a pure scale keeps it.
   */
  public static Service update(ClusterState s, Service old, ServiceSpec spec, long now) {
    ServiceSpecValidator.check(s, spec);
    StateLimits.checkService(s, old, spec);
    nameFree(s, spec.name(), old.id());
    ServiceSpec resolved = spec.withPorts(ports(s, spec.ports(), old.spec().ports(), old.id()));
    boolean tasksChange = !resolved.withReplicas(0).equals(old.spec().withReplicas(0));
    Map<String, String> kept = new TreeMap<>(old.vips());
    Map<String, String> vips = vips(s, resolved, kept);
    return new Service(old.id(), resolved, old.version() + (tasksChange ? 1 : 0), old.mark(), vips, old.createdAt(), now);
  }

  private static void nameFree(ClusterState s, String name, String self) {
    if (s.serviceNamed(name).filter(other -> !other.id().equals(self)).isPresent()) {
      throw new CommandRejectedException("service name " + name + " is taken");
    }
  }

  /**
   * Ports with 0 resolved (the old spec's port for the same target first), checked against other
   * services through the state's port index (no scan of every service).
   */
  private static List<PortConfig> ports(ClusterState s, List<PortConfig> wanted, List<PortConfig> old, String self) {
    for (PortConfig p : wanted) {
      Optional<Service> owner = publisher(s, p.published(), p.protocol(), self);
      if (p.published() != 0 && owner.isPresent()) {
        throw new CommandRejectedException("port " + p.published() + "/" + p.protocol() + " is already published by service "
            + owner.get().name());
      }
    }
    Set<String> mine = new HashSet<>();
    wanted.forEach(p -> mine.add(p.published() + "/" + p.protocol()));
    java.util.function.BiPredicate<Integer, meshplane.dataplane.Protocol> taken = (port, proto) -> mine.contains(port + "/" + proto)
        || publisher(s, port, proto, self).isPresent();
    List<PortConfig> out = new ArrayList<>();
    for (PortConfig p : wanted) {
      if (p.published() != 0) {
        out.add(p);
        continue;
      }
      int port = old.stream()
          .filter(o -> o.target() == p.target() && o.protocol().equals(p.protocol()) && !taken.test(o.published(), o.protocol()))
          .mapToInt(PortConfig::published).findFirst().orElse(0);
      for (int c = s.settings().autoPortFirst(); port == 0 && c <= s.settings().autoPortLast(); c++) {
        if (!taken.test(c, p.protocol())) {
          port = c;
        }
      }
      if (port == 0) {
        throw new CommandRejectedException("no free " + p.protocol() + " port left in "
            + s.settings().autoPortFirst() + "-" + s.settings().autoPortLast() + " to publish");
      }
      mine.add(port + "/" + p.protocol());
      out.add(new PortConfig(p.protocol(), port, p.target(), p.mode()));
    }
    return out;
  }

  /** The service other than {@code self} that publishes {@code port}/{@code protocol}, if one does. */
  private static Optional<Service> publisher(ClusterState s, int port, meshplane.dataplane.Protocol protocol, String self) {
    return s.servicesPublishing(port, protocol).stream().filter(o -> !o.id().equals(self)).findFirst();
  }

  /** The VIPs {@code spec} needs: {@code kept} ones on networks that stay, new ones allocated. */
  private static Map<String, String> vips(ClusterState s, ServiceSpec spec, Map<String, String> kept) {
    Map<String, String> vips = new TreeMap<>();
    if (spec.endpointMode() != meshplane.dataplane.EndpointMode.VIP) {
      return vips;
    }
    List<Network> nets = Networks.ofTask(s, spec);
    for (Network n : nets) {
      String vip = kept.get(n.id());
      vips.put(n.id(), vip != null ? vip : IpAllocator.lowestFree(s, n));
    }
    return vips;
  }
}
