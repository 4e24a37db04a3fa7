package meshplane.mesh.lb;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshplane.ipvs.AddressFamily;
import meshplane.ipvs.DestinationWithStats;
import meshplane.ipvs.ForwardingMethod;
import meshplane.ipvs.Ipvs;
import meshplane.ipvs.IpvsDestination;
import meshplane.ipvs.IpvsService;
import meshplane.ipvs.ServiceKey;
import meshplane.ipvs.ServiceWithStats;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.Sysctl;

/**
 * The IPVS load balancer of one sandbox (ingress_sbox or lb_NET), as Swarm programs it:
 * firewall-mark services (round robin) whose destinations are the service's task addresses with
 * port 0 (the flow's port is kept), masquerading; {@code conn_reuse_mode=0} and
 * {@code expire_nodest_conn=1}; {@code conntrack=1} so the SNAT rule sees IPVS's flows.
 */
public final class IpvsBalancer implements AutoCloseable {
  private final String namespace;
  private final Ipvs ipvs;

  public IpvsBalancer(NetNamespace ns) {
    this.namespace = ns.name();
    Sysctl.write(ns, "net.ipv4.vs.conn_reuse_mode", "0");
    Sysctl.write(ns, "net.ipv4.vs.expire_nodest_conn", "1");
    Sysctl.write(ns, "net.ipv4.vs.conntrack", "1");
    this.ipvs = Ipvs.open(ns);
  }

  /** mark -> destination address -> weight and active connections, for every fwmark service here. */
  public Map<Integer, Map<String, IpvsDiff.Observed>> read() {
    return read(ipvs);
  }

  /** What {@link #read} gives, for a namespace, without touching anything (no sysctl is written). */
  public static Map<Integer, Map<String, IpvsDiff.Observed>> observe(NetNamespace ns) {
    try (Ipvs i = Ipvs.open(ns)) {
      return read(i);
    }
  }

  private static Map<Integer, Map<String, IpvsDiff.Observed>> read(Ipvs ipvs) {
    Map<Integer, Map<String, IpvsDiff.Observed>> out = new HashMap<>();
    for (ServiceWithStats s : ipvs.services()) {
      if (s.service().key() instanceof ServiceKey.ByMark m) {
        Map<String, IpvsDiff.Observed> dests = new HashMap<>();
        for (DestinationWithStats d : ipvs.destinations(m)) {
          dests.put(d.destination().address().getHostAddress(),
              new IpvsDiff.Observed(d.destination().weight(), d.activeConnections()));
        }
        out.put(m.mark(), dests);
      }
    }
    return out;
  }

  /** Makes the marks in {@code scope} (null: all) serve {@code desired}; returns the number of changes. */
  public int sync(Map<Integer, List<String>> desired, Set<Integer> scope) {
    List<IpvsChange> changes = IpvsDiff.changes(desired, read(), scope);
    for (IpvsChange c : changes) {
      if (c instanceof IpvsChange.AddService a) {
        ipvs.addService(IpvsService.of(key(a.mark()), "rr"));
      } else if (c instanceof IpvsChange.DeleteService d) {
        ipvs.deleteService(key(d.mark()));
      } else if (c instanceof IpvsChange.AddDestination a) {
        ipvs.addDestination(key(a.mark()), destination(a.ip(), 1));
      } else if (c instanceof IpvsChange.SetWeight w) {
        ipvs.editDestination(key(w.mark()), destination(w.ip(), w.weight()));
      } else if (c instanceof IpvsChange.DeleteDestination d) {
        ipvs.deleteDestination(key(d.mark()), address(d.ip()), 0);
      }
    }
    return changes.size();
  }

  private static ServiceKey key(int mark) {
    return new ServiceKey.ByMark(AddressFamily.INET, mark);
  }

  private static IpvsDestination destination(String ip, int weight) {
    return new IpvsDestination(address(ip), 0, ForwardingMethod.MASQUERADE, weight, 0, 0);
  }

  private static InetAddress address(String ip) {
    return IpPrefix.literal(ip, ip);
  }

  public String namespace() {
    return namespace;
  }

  @Override
  public void close() {
    ipvs.close();
  }
}
