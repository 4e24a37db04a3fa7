package meshplane.cluster.assignment;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import meshplane.cluster.model.Attachment;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.Subnets;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;
import meshplane.dataplane.Addresses;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PeerSpec;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.ServiceSpec;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;

/**
 * The part of the data plane one node serves, as Docker's overlay driver gives a node only the
 * networks its tasks are on:
 * <ul>
 * <li>networks: the ingress network and every network a live task of this node is attached to,
 * where the node already has its lb address (the orchestrator gives it one within a round);
 * <li>peers: the other nodes' lb addresses on those networks, and the attachments there of other
 * nodes' tasks that have not ended;
 * <li>services: those with a network among them, or publishing ports while the node is on the
 * ingress network: VIPs on the listed networks, published ports, and as backends the tasks
 * RUNNING and wanted RUNNING, with their names.
 * </ul>
 * Endpoints (the node's own tasks) are not in it: the node adds them. Cost: one plain pass over
 * the services (only those served are sorted and built), and the tasks on the listed networks and
 * of the services listed (the state's indexes), not every task of the cluster. It runs for every
 * waiting node at each change of the state, so the pass allocates nothing for a service not served.
 */
final class DataplaneSlice {
  private DataplaneSlice() {}

  static DataplaneState build(ClusterState s, Node me, List<Task> mine) {
    Map<String, Network> listed = listedNetworks(s, me, mine);
    List<NetworkSpec> networks = new ArrayList<>();
    for (Network n : listed.values()) {
      networks.add(new NetworkSpec(n.id(), n.vni(), IpPrefix.parse(n.subnet()), Addresses.ipv4(n.gateway()), n.ingress(),
          Optional.of(Addresses.ipv4(n.lbAddresses().get(me.id())))));
    }
    return new DataplaneState(me.hostname(), Addresses.ipv4(me.addr()), networks, List.of(), peers(s, me, listed),
        services(s, listed));
  }

  private static Map<String, Network> listedNetworks(ClusterState s, Node me, List<Task> mine) {
    Set<String> wanted = new TreeSet<>();
    for (Network n : s.networks().values()) {
      if (n.ingress()) {
        wanted.add(n.id());
      }
    }
    for (Task t : mine) {
      if (!t.state().isTerminal()) {
        t.attachments().forEach(a -> wanted.add(a.network()));
      }
    }
    Map<String, Network> listed = new LinkedHashMap<>();
    wanted.stream().map(id -> s.networks().get(id))
        .filter(n -> n != null && n.lbAddresses().containsKey(me.id()))
        .sorted(Comparator.comparing((Network n) -> !n.ingress()).thenComparing(Network::id))
        .forEach(n -> listed.put(n.id(), n));
    return listed;
  }

  private static List<PeerSpec> peers(ClusterState s, Node me, Map<String, Network> listed) {
    List<PeerSpec> peers = new ArrayList<>();
    Map<String, Inet4Address> vteps = new TreeMap<>();
    for (Node other : s.nodes().values()) {
      if (other.id().equals(me.id())) {
        continue;
      }
      Inet4Address vtep = Addresses.ipv4(other.addr());
      vteps.put(other.id(), vtep);
      for (Network n : listed.values()) {
        String lb = n.lbAddresses().get(other.id());
        if (lb != null) {
          peers.add(new PeerSpec(n.id(), Addresses.ipv4(lb), MacAddress.parse(Subnets.macOf(lb)), vtep));
        }
      }
    }
    for (Network n : listed.values()) {
      for (Task t : s.tasksAttachedTo(n.id())) { // the state's index: only the tasks on this network
        Inet4Address vtep = t.nodeId() == null ? null : vteps.get(t.nodeId());
        if (vtep == null || t.state().isTerminal()) {
          continue;
        }
        for (Attachment a : t.attachments()) {
          if (a.network().equals(n.id())) {
            peers.add(new PeerSpec(a.network(), Addresses.ipv4(a.ip()), MacAddress.parse(a.mac()), vtep));
          }
        }
      }
    }
    return peers;
  }

  private static List<ServiceSpec> services(ClusterState s, Map<String, Network> listed) {
    boolean ingressListed = listed.values().stream().anyMatch(Network::ingress);
    Map<String, String> listedByName = new TreeMap<>();
    listed.values().stream().filter(n -> !n.ingress()).forEach(n -> listedByName.put(n.name(), n.id()));
    List<Service> served = new ArrayList<>();
    for (Service svc : s.services().values()) { // a plain pass: most services are on no listed network
      if ((ingressListed && !svc.spec().ports().isEmpty()) || onAny(svc.spec().networks(), listedByName)) {
        served.add(svc);
      }
    }
    served.sort(Comparator.comparing(Service::name));
    List<ServiceSpec> out = new ArrayList<>();
    for (Service svc : served) {
      EndpointMode mode = svc.spec().endpointMode();
      Map<String, Inet4Address> vips = new TreeMap<>();
      if (mode == EndpointMode.VIP) {
        svc.vips().forEach((net, vip) -> {
          if (listed.containsKey(net)) {
            vips.put(net, Addresses.ipv4(vip));
          }
        });
      }
      List<PortSpec> ports = new ArrayList<>();
      if (ingressListed) {
        for (PortConfig p : svc.spec().ports()) {
          ports.add(port(p));
        }
      }
      List<BackendSpec> backends = new ArrayList<>();
      for (Task t : s.tasksOf(svc.id())) {
        if (t.state() == TaskState.RUNNING && t.desired() == TaskState.RUNNING) {
          for (Attachment a : t.attachments()) {
            if (listed.containsKey(a.network())) {
              backends.add(new BackendSpec(a.network(), Addresses.ipv4(a.ip()), Optional.of(t.name())));
            }
          }
        }
      }
      out.add(new ServiceSpec(svc.name(), mode, svc.mark(), vips, ports, backends));
    }
    return out;
  }

  private static boolean onAny(List<String> networks, Map<String, String> listedByName) {
    if (listedByName.isEmpty()) {
      return false;
    }
    for (String n : networks) {
      if (listedByName.containsKey(n)) {
        return true;
      }
    }
    return false;
  }

  private static PortSpec port(PortConfig p) {
    return new PortSpec(p.protocol(), p.published(), p.target(), p.mode());
  }

}
