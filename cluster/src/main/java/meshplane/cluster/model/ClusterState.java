package meshplane.cluster.model;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The whole replicated state: what {@code onApply} changes and a snapshot saves. {@code index} is
 * the Raft log index of the last command applied (0 before {@code swarm init}). Maps are sorted by
 * id so two replicas print the same JSON.
 */
public record ClusterState(String clusterId, long index, JoinTokens tokens, ClusterSettings settings,
    Map<String, Node> nodes, Map<String, Network> networks, Map<String, Service> services,
    Map<String, Task> tasks) {

  public static final ClusterState EMPTY = new ClusterState(null, 0, null, ClusterSettings.DEFAULT,
      Map.of(), Map.of(), Map.of(), Map.of());

  public ClusterState {
    nodes = sorted(nodes);
    networks = sorted(networks);
    services = sorted(services);
    tasks = sorted(tasks);
    settings = settings == null ? ClusterSettings.DEFAULT : settings;
  }

  private static <V> Map<String, V> sorted(Map<String, V> m) {
    return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(m));
  }

  public boolean initialized() {
    return clusterId != null;
  }

  /** The state after {@code c}, at log index {@code at}; throws {@link CommandRejectedException}. */
  public ClusterState apply(Command c, long at) {
    ClusterState next = c.applyTo(this);
    return new ClusterState(next.clusterId, at, next.tokens, next.settings, next.nodes, next.networks, next.services, next.tasks);
  }

  public Optional<Node> node(String idOrHostname) {
    Node n = nodes.get(idOrHostname);
    if (n != null) {
      return Optional.of(n);
    }
    return nodes.values().stream().filter(x -> x.hostname().equals(idOrHostname)).findFirst()
        .or(() -> unique(nodes.values(), x -> x.id().startsWith(idOrHostname)));
  }

  public Optional<Network> network(String idOrName) {
    Network n = networks.get(idOrName);
    return n != null ? Optional.of(n) : networks.values().stream().filter(x -> x.name().equals(idOrName)).findFirst();
  }

  public Optional<Service> service(String idOrName) {
    Service s = services.get(idOrName);
    if (s != null) {
      return Optional.of(s);
    }
    return services.values().stream().filter(x -> x.name().equals(idOrName)).findFirst()
        .or(() -> unique(services.values(), x -> x.id().startsWith(idOrName)));
  }

  public List<Task> tasksOf(String serviceId) {
    return tasks.values().stream().filter(t -> t.serviceId().equals(serviceId)).toList();
  }

  public List<Task> tasksOn(String nodeId) {
    return tasks.values().stream().filter(t -> nodeId.equals(t.nodeId())).toList();
  }

  public List<Node> managers() {
    return nodes.values().stream().filter(Node::isManager).toList();
  }

  private static <T> Optional<T> unique(Collection<T> all, Predicate<T> p) {
    List<T> hits = all.stream().filter(p).limit(2).toList();
    return hits.size() == 1 ? Optional.of(hits.get(0)) : Optional.empty();
  }

  // --- copies with one part replaced (used by the commands) ---------------------------------

  public ClusterState withNodes(Map<String, Node> m) {
    return new ClusterState(clusterId, index, tokens, settings, m, networks, services, tasks);
  }

  public ClusterState withNetworks(Map<String, Network> m) {
    return new ClusterState(clusterId, index, tokens, settings, nodes, m, services, tasks);
  }

  public ClusterState withServices(Map<String, Service> m) {
    return new ClusterState(clusterId, index, tokens, settings, nodes, networks, m, tasks);
  }

  public ClusterState withTasks(Map<String, Task> m) {
    return new ClusterState(clusterId, index, tokens, settings, nodes, networks, services, m);
  }
}
