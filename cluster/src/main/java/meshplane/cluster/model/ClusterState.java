package meshplane.cluster.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The whole replicated state: what {@code onApply} changes and a snapshot saves. {@code index} is
 * the Raft log index of the last command applied (0 before {@code swarm init}).
 *
 * <p>Each map is a {@link SortedTable}: persistent and sorted by id (two replicas print the same
 * JSON, and a snapshot is the plain sorted maps), so applying a command costs O(change · log n)
 * and shares everything else with the state before; a map given to the constructor that is not
 * such a table (a decoded snapshot, a test's map) is made one. The tables keep the indexes the
 * queries below use: tasks by service, by node (all, and live ones) and by attached network, nodes
 * by hostname, networks by name, services by name, mark, published port, mode and VIP network.
 */
public record ClusterState(String clusterId, long index, JoinTokens tokens,
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) ClusterPki pki,
    ClusterSettings settings,
    Map<String, Node> nodes, Map<String, Network> networks, Map<String, Service> services,
    Map<String, Task> tasks) {

  /** Key of {@link #TASKS_BY_NODE} for tasks not placed on any node. */
  private static final String UNASSIGNED = "";
  private static final SortedTable.Index<Node> NODES_BY_HOSTNAME = SortedTable.Index.of("hostname", Node::hostname);
  private static final SortedTable.Index<Network> NETWORKS_BY_NAME = SortedTable.Index.of("name", Network::name);
  private static final SortedTable.Index<Service> SERVICES_BY_NAME = SortedTable.Index.of("name", Service::name);
  private static final SortedTable.Index<Service> SERVICES_BY_MARK = SortedTable.Index.of("mark", s -> markKey(s.mark()));
  private static final SortedTable.Index<Service> SERVICES_BY_VIP_NETWORK = new SortedTable.Index<>("VIP network",
      s -> s.vips().keySet());
  private static final SortedTable.Index<Service> SERVICES_BY_MODE = SortedTable.Index.of("mode", s -> s.spec().mode().name());
  private static final SortedTable.Index<Service> SERVICES_BY_PORT = new SortedTable.Index<>("published port",
      s -> s.spec().ports().stream().map(p -> portKey(p.published(), p.protocol())).collect(Collectors.toSet()));
  private static final SortedTable.Index<Task> TASKS_BY_SERVICE = SortedTable.Index.of("service", Task::serviceId);
  private static final SortedTable.Index<Task> TASKS_BY_NODE = SortedTable.Index.of("node",
      t -> t.nodeId() == null ? UNASSIGNED : t.nodeId());
  private static final SortedTable.Index<Task> LIVE_TASKS_BY_NODE = new SortedTable.Index<>("live on node",
      t -> t.live() && t.nodeId() != null ? List.of(t.nodeId()) : List.of());
  private static final SortedTable.Index<Task> TASKS_BY_NETWORK = new SortedTable.Index<>("attached network",
      t -> t.attachments().stream().map(Attachment::network).collect(Collectors.toSet()));

  private static final SortedTable<Node> NO_NODES = SortedTable.empty(NODES_BY_HOSTNAME);
  private static final SortedTable<Network> NO_NETWORKS = SortedTable.empty(NETWORKS_BY_NAME);
  private static final SortedTable<Service> NO_SERVICES = SortedTable.empty(SERVICES_BY_NAME, SERVICES_BY_MARK,
      SERVICES_BY_MODE, SERVICES_BY_PORT, SERVICES_BY_VIP_NETWORK);
  private static final SortedTable<Task> NO_TASKS = SortedTable.empty(TASKS_BY_SERVICE, TASKS_BY_NODE, LIVE_TASKS_BY_NODE,
      TASKS_BY_NETWORK);

  public static final ClusterState EMPTY = new ClusterState(null, 0, null, null, ClusterSettings.DEFAULT,
      Map.of(), Map.of(), Map.of(), Map.of());

  public ClusterState {
    nodes = SortedTable.from(nodes, NO_NODES);
    networks = SortedTable.from(networks, NO_NETWORKS);
    services = SortedTable.from(services, NO_SERVICES);
    tasks = SortedTable.from(tasks, NO_TASKS);
    settings = settings == null ? ClusterSettings.DEFAULT : settings;
  }

  public boolean initialized() {
    return clusterId != null;
  }

  /** The state after {@code c}, at log index {@code at}; throws {@link CommandRejectedException}. */
  public ClusterState apply(Command c, long at) {
    ClusterState next = c.applyTo(this);
    return new ClusterState(next.clusterId, at, next.tokens, next.pki, next.settings, next.nodes, next.networks, next.services,
        next.tasks);
  }

  // --- queries -------------------------------------------------------------------------------

  public Optional<Node> node(String idOrHostname) {
    Node n = nodes.get(idOrHostname);
    if (n != null) {
      return Optional.of(n);
    }
    return first(nodeTable().where(NODES_BY_HOSTNAME, idOrHostname)).or(() -> unique(nodeTable().withIdPrefix(idOrHostname)));
  }

  public Optional<Network> network(String idOrName) {
    Network n = networks.get(idOrName);
    return n != null ? Optional.of(n) : first(networkTable().where(NETWORKS_BY_NAME, idOrName));
  }

  public Optional<Service> service(String idOrName) {
    Service s = services.get(idOrName);
    if (s != null) {
      return Optional.of(s);
    }
    return first(serviceTable().where(SERVICES_BY_NAME, idOrName)).or(() -> unique(serviceTable().withIdPrefix(idOrName)));
  }

  /** The node named {@code hostname} (hostnames are unique), by the hostname index. */
  public Optional<Node> nodeWithHostname(String hostname) {
    return first(nodeTable().where(NODES_BY_HOSTNAME, hostname));
  }

  /** The service named {@code name} (names are unique), by the name index. */
  public Optional<Service> serviceNamed(String name) {
    return first(serviceTable().where(SERVICES_BY_NAME, name));
  }

  /** The service whose flows carry firewall mark {@code mark}, if one does. */
  public Optional<Service> serviceWithMark(int mark) {
    return first(serviceTable().where(SERVICES_BY_MARK, markKey(mark)));
  }

  /**
   * The smallest mark from {@code first} up that no service has: O(log n) when the marks from
   * {@code first} have no gap, else a walk up to the first gap.
   */
  public int lowestFreeMark(int first) {
    java.util.NavigableSet<String> taken = serviceTable().keysOf(SERVICES_BY_MARK).tailSet(markKey(first), true);
    if (taken.isEmpty() || !taken.first().equals(markKey(first))) {
      return first;
    }
    if (taken.last().equals(markKey(first + taken.size() - 1))) {
      return first + taken.size(); // first .. first + size - 1 all taken
    }
    int next = first;
    for (String k : taken) {
      if (!k.equals(markKey(next))) {
        break;
      }
      next++;
    }
    return next;
  }

  /** The services with a VIP on network {@code networkId}. */
  public Collection<Service> servicesWithVipOn(String networkId) {
    return serviceTable().where(SERVICES_BY_VIP_NETWORK, networkId);
  }

  /** The services publishing {@code port}/{@code protocol} (one, unless the state was built by hand). */
  public Collection<Service> servicesPublishing(int port, meshplane.dataplane.Protocol protocol) {
    return serviceTable().where(SERVICES_BY_PORT, portKey(port, protocol));
  }

  /** The services of {@code mode}, sorted by id. */
  public Collection<Service> servicesOfMode(ServiceMode mode) {
    return serviceTable().where(SERVICES_BY_MODE, mode.name());
  }

  /** The tasks of service {@code serviceId}, sorted by id. */
  public List<Task> tasksOf(String serviceId) {
    return List.copyOf(taskTable().where(TASKS_BY_SERVICE, serviceId));
  }

  /** The tasks placed on node {@code nodeId}, sorted by id. */
  public List<Task> tasksOn(String nodeId) {
    return List.copyOf(taskTable().where(TASKS_BY_NODE, nodeId));
  }

  /** The live tasks on node {@code nodeId} (desired RUNNING, not ended: what holds its resources), sorted by id. */
  public Collection<Task> liveTasksOn(String nodeId) {
    return taskTable().where(LIVE_TASKS_BY_NODE, nodeId);
  }

  /** The tasks with an attachment on network {@code networkId}, ended ones kept as history included. */
  public Collection<Task> tasksAttachedTo(String networkId) {
    return taskTable().where(TASKS_BY_NETWORK, networkId);
  }

  /** The tasks placed on no node (PENDING, or ended before placement), sorted by id. */
  public List<Task> unassignedTasks() {
    return List.copyOf(taskTable().where(TASKS_BY_NODE, UNASSIGNED));
  }

  /** Whether a task id starts with {@code prefix} (O(log n)). */
  public boolean hasTaskIdPrefix(String prefix) {
    return taskTable().hasIdPrefix(prefix);
  }

  public List<Node> managers() {
    return nodes.values().stream().filter(Node::isManager).toList();
  }

  /** Zero-padded, so the index's order is the marks' order. */
  private static String markKey(int mark) {
    return String.format("%010d", mark);
  }

  private static String portKey(int port, meshplane.dataplane.Protocol protocol) {
    return port + "/" + protocol;
  }

  private static <T> Optional<T> first(Collection<T> hits) {
    return hits.isEmpty() ? Optional.empty() : Optional.of(hits.iterator().next());
  }

  private static <T> Optional<T> unique(Collection<T> hits) {
    return hits.size() == 1 ? Optional.of(hits.iterator().next()) : Optional.empty();
  }

  private SortedTable<Node> nodeTable() {
    return (SortedTable<Node>) nodes;
  }

  private SortedTable<Network> networkTable() {
    return (SortedTable<Network>) networks;
  }

  private SortedTable<Service> serviceTable() {
    return (SortedTable<Service>) services;
  }

  private SortedTable<Task> taskTable() {
    return (SortedTable<Task>) tasks;
  }

  // --- copies with one part changed (used by the commands): O(change · log n) ----------------

  public ClusterState putNode(Node n) {
    return withNodes(nodeTable().plus(n.id(), n));
  }

  public ClusterState removeNode(String id) {
    return withNodes(nodeTable().minus(id));
  }

  public ClusterState putNetwork(Network n) {
    return withNetworks(networkTable().plus(n.id(), n));
  }

  public ClusterState removeNetwork(String id) {
    return withNetworks(networkTable().minus(id));
  }

  public ClusterState putService(Service s) {
    return withServices(serviceTable().plus(s.id(), s));
  }

  public ClusterState removeService(String id) {
    return withServices(serviceTable().minus(id));
  }

  /** The state with {@code put} added or replaced, then {@code remove} (task ids) taken out. */
  public ClusterState putTasks(Collection<Task> put, Collection<String> remove) {
    SortedTable<Task> t = taskTable();
    for (Task x : put) {
      t = t.plus(x.id(), x);
    }
    for (String id : remove) {
      t = t.minus(id);
    }
    return withTasks(t);
  }

  public ClusterState withTokens(JoinTokens t) {
    return new ClusterState(clusterId, index, t, pki, settings, nodes, networks, services, tasks);
  }

  public ClusterState withPki(ClusterPki p) {
    return new ClusterState(clusterId, index, tokens, p, settings, nodes, networks, services, tasks);
  }

  /** What an answer may show: the same state without the CA's key. */
  public ClusterState withoutSecrets() {
    return pki == null ? this : withPki(pki.withoutKey());
  }

  public ClusterState withNodes(Map<String, Node> m) {
    return new ClusterState(clusterId, index, tokens, pki, settings, m, networks, services, tasks);
  }

  public ClusterState withNetworks(Map<String, Network> m) {
    return new ClusterState(clusterId, index, tokens, pki, settings, nodes, m, services, tasks);
  }

  public ClusterState withServices(Map<String, Service> m) {
    return new ClusterState(clusterId, index, tokens, pki, settings, nodes, networks, m, tasks);
  }

  public ClusterState withTasks(Map<String, Task> m) {
    return new ClusterState(clusterId, index, tokens, pki, settings, nodes, networks, services, m);
  }
}
