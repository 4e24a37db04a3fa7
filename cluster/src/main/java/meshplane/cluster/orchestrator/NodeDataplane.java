package meshplane.cluster.orchestrator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import meshplane.mesh.state.BackendSpec;
import meshplane.mesh.state.DataplaneState;
import meshplane.mesh.state.EndpointSpec;
import meshplane.mesh.state.NetworkSpec;
import meshplane.mesh.state.PeerSpec;
import meshplane.mesh.state.PortSpec;
import meshplane.mesh.state.ServiceSpec;

/**
 * A node's desired data-plane state (docs/dataplane-state.md) from the cluster state.
 * <ul>
 * <li>networks: the ingress network, every network a service names and every network a live
 * task of this node is on; only those where this node already has its lb address (the
 * orchestrator gives it one within a round), and nothing on the others;
 * <li>endpoints: this node's tasks wanted RUNNING and not ended, one per attachment: id the
 * task's short id (first attachment) or its first 9 characters and the attachment's index
 * ({@link #endpointId}),
 * namespace {@code <nodeNamespace>-<short id>}, interfaces {@code eth0}, {@code eth1}, ...;
 * <li>peers: every other node's lb address on each network, and the attachments of other nodes'
 * tasks that have not ended;
 * <li>services: VIPs and published ports on the listed networks, backends the tasks RUNNING and
 * wanted RUNNING, with their names.
 * </ul>
 */
public final class NodeDataplane {
  private static final int ENDPOINT_PREFIX = 9;
  private static final String ENDPOINT_SUFFIXES = "123456789abcdefghijklmnopqrstuvwxyz";

  private NodeDataplane() {}

  public static DataplaneState build(ClusterState s, String nodeId, String nodeNamespace) {
    Node me = s.nodes().get(nodeId);
    if (me == null) {
      throw new IllegalArgumentException("no node " + nodeId + " in the cluster state (index " + s.index() + ")");
    }
    Map<String, Network> listed = listedNetworks(s, me);
    List<NetworkSpec> networks = new ArrayList<>();
    for (Network n : listed.values()) {
      networks.add(new NetworkSpec(n.id(), n.vni(), n.subnet(), n.gateway(), n.ingress(), n.lbAddresses().get(me.id())));
    }
    List<EndpointSpec> endpoints = new ArrayList<>();
    for (Task t : tasksToRun(s, nodeId)) {
      for (int i = 0; i < t.attachments().size(); i++) {
        Attachment a = t.attachments().get(i);
        if (listed.containsKey(a.network())) {
          endpoints.add(new EndpointSpec(endpointId(t, i), a.network(), a.ip(), a.mac(),
              nodeNamespace + "-" + t.shortId(), "eth" + i, t.name()));
        }
      }
    }
    return new DataplaneState(me.hostname(), me.addr(), networks, endpoints, peers(s, me, listed), services(s, listed));
  }

  /**
   * The data-plane id of task {@code t}'s endpoint on its {@code index}-th attachment: the short
   * id for the first; for the others the first 9 characters and one more, the index as a digit
   * (then letters) skipping the short id's own 10th character, which would give the first
   * endpoint's id again ({@code abcdefghi1...}: {@code abcdefghi1}, {@code abcdefghi2}, ...).
   */
  public static String endpointId(Task t, int index) {
    if (index == 0) {
      return t.shortId();
    }
    String prefix = t.id().substring(0, Math.min(ENDPOINT_PREFIX, t.id().length()));
    String own = t.id().length() > ENDPOINT_PREFIX ? t.id().substring(ENDPOINT_PREFIX, ENDPOINT_PREFIX + 1) : "";
    String suffixes = ENDPOINT_SUFFIXES.replace(own, "");
    if (index > suffixes.length()) {
      throw new IllegalArgumentException("task " + t.name() + ": attachment " + index + " has no endpoint id: at most "
          + (suffixes.length() + 1) + " networks per task");
    }
    return prefix + suffixes.charAt(index - 1);
  }

  /** This node's tasks that should run: desired RUNNING and not ended, by id. */
  public static List<Task> tasksToRun(ClusterState s, String nodeId) {
    return s.tasksOn(nodeId).stream().filter(Scheduler::live).toList();
  }

  /** This node's tasks that should stop: desired SHUTDOWN and not ended yet, by id. */
  public static List<Task> tasksToStop(ClusterState s, String nodeId) {
    return s.tasksOn(nodeId).stream().filter(t -> t.desired() == TaskState.SHUTDOWN && !t.state().isTerminal()).toList();
  }

  private static Map<String, Network> listedNetworks(ClusterState s, Node me) {
    Set<String> wanted = new TreeSet<>();
    for (Network n : s.networks().values()) {
      if (n.ingress()) {
        wanted.add(n.id());
      }
    }
    for (Service svc : s.services().values()) {
      svc.spec().networks().forEach(name -> Networks.byName(s, name).ifPresent(n -> wanted.add(n.id())));
    }
    for (Task t : s.tasksOn(me.id())) {
      if (!t.state().isTerminal()) {
        t.attachments().forEach(a -> wanted.add(a.network()));
      }
    }
    Map<String, Network> listed = new LinkedHashMap<>();
    s.networks().values().stream()
        .filter(n -> wanted.contains(n.id()) && n.lbAddresses().containsKey(me.id()))
        .sorted(Comparator.comparing((Network n) -> !n.ingress()).thenComparing(Network::id))
        .forEach(n -> listed.put(n.id(), n));
    return listed;
  }

  private static List<PeerSpec> peers(ClusterState s, Node me, Map<String, Network> listed) {
    List<PeerSpec> peers = new ArrayList<>();
    for (Node other : s.nodes().values()) {
      if (other.id().equals(me.id())) {
        continue;
      }
      for (Network n : listed.values()) {
        String lb = n.lbAddresses().get(other.id());
        if (lb != null) {
          peers.add(new PeerSpec(n.id(), lb, Subnets.macOf(lb), other.addr()));
        }
      }
      for (Task t : s.tasksOn(other.id())) {
        if (t.state().isTerminal()) {
          continue;
        }
        for (Attachment a : t.attachments()) {
          if (listed.containsKey(a.network())) {
            peers.add(new PeerSpec(a.network(), a.ip(), a.mac(), other.addr()));
          }
        }
      }
    }
    return peers;
  }

  private static List<ServiceSpec> services(ClusterState s, Map<String, Network> listed) {
    boolean ingressListed = listed.values().stream().anyMatch(Network::ingress);
    List<ServiceSpec> out = new ArrayList<>();
    List<Service> byName = s.services().values().stream().sorted(Comparator.comparing(Service::name)).toList();
    for (Service svc : byName) {
      Map<String, String> vips = new TreeMap<>();
      if ("vip".equals(svc.spec().endpointMode())) {
        svc.vips().forEach((net, vip) -> {
          if (listed.containsKey(net)) {
            vips.put(net, vip);
          }
        });
      }
      List<PortSpec> ports = new ArrayList<>();
      if (ingressListed) {
        for (PortConfig p : svc.spec().ports()) {
          ports.add(new PortSpec(p.protocol(), p.published(), p.target(), p.mode()));
        }
      }
      List<BackendSpec> backends = new ArrayList<>();
      for (Task t : s.tasksOf(svc.id())) {
        if (t.state() == TaskState.RUNNING && t.desired() == TaskState.RUNNING) {
          for (Attachment a : t.attachments()) {
            if (listed.containsKey(a.network())) {
              backends.add(new BackendSpec(a.network(), a.ip(), t.name()));
            }
          }
        }
      }
      out.add(new ServiceSpec(svc.name(), svc.spec().endpointMode(), svc.mark(), vips, ports, backends));
    }
    return out;
  }
}
