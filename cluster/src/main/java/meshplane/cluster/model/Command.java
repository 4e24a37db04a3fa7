package meshplane.cluster.model;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One change to the cluster state: the only way the state changes, proposed to the Raft log and
 * applied in log order on every manager. Each variant carries concrete values (ids, addresses,
 * marks chosen by the leader), so applying it is deterministic; one that does not fit the state
 * is rejected the same way everywhere ({@link CommandRejectedException}). Encoded as JSON with an
 * {@code op} field ({@link CommandCodec}).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Command.Init.class, name = "init"),
    @JsonSubTypes.Type(value = Command.PutNode.class, name = "put-node"),
    @JsonSubTypes.Type(value = Command.RemoveNode.class, name = "remove-node"),
    @JsonSubTypes.Type(value = Command.PutNetwork.class, name = "put-network"),
    @JsonSubTypes.Type(value = Command.RemoveNetwork.class, name = "remove-network"),
    @JsonSubTypes.Type(value = Command.PutService.class, name = "put-service"),
    @JsonSubTypes.Type(value = Command.RemoveService.class, name = "remove-service"),
    @JsonSubTypes.Type(value = Command.PutTasks.class, name = "put-tasks"),
    @JsonSubTypes.Type(value = Command.ReportTasks.class, name = "report-tasks"),
})
public sealed interface Command {

  ClusterState applyTo(ClusterState s);

  /** {@code swarm init}: the cluster id, tokens, settings, the first manager and the ingress network. */
  record Init(String clusterId, JoinTokens tokens, ClusterSettings settings, Node first, Network ingress) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      if (s.initialized()) {
        throw new CommandRejectedException("this node is already part of a swarm (cluster " + s.clusterId() + ")");
      }
      return new ClusterState(clusterId, s.index(), tokens, settings, Map.of(first.id(), first),
          Map.of(ingress.id(), ingress), Map.of(), Map.of());
    }
  }

  /** A node joined, or changed (availability, labels, role, status). Hostnames stay unique. */
  record PutNode(Node node) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      for (Node other : s.nodes().values()) {
        if (!other.id().equals(node.id()) && other.hostname().equals(node.hostname())) {
          throw new CommandRejectedException("node hostname " + node.hostname() + " is taken by node " + other.id());
        }
      }
      return s.withNodes(put(s.nodes(), node.id(), node));
    }
  }

  /** {@code node rm}: the node and its lb addresses go; its tasks are left to the orchestrator. */
  record RemoveNode(String id) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      if (!s.nodes().containsKey(id)) {
        throw new CommandRejectedException("no node " + id);
      }
      Map<String, Network> nets = new HashMap<>();
      for (Network n : s.networks().values()) {
        Map<String, String> lb = new HashMap<>(n.lbAddresses());
        lb.remove(id);
        nets.put(n.id(), n.withLbAddresses(lb));
      }
      return s.withNodes(remove(s.nodes(), id)).withNetworks(nets);
    }
  }

  /** {@code network create}, or a network's lb addresses changed. Names, VNIs and subnets stay unique. */
  record PutNetwork(Network network) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      for (Network other : s.networks().values()) {
        if (other.id().equals(network.id())) {
          continue;
        }
        if (other.name().equals(network.name())) {
          throw new CommandRejectedException("network name " + network.name() + " is taken");
        }
        if (other.vni() == network.vni()) {
          throw new CommandRejectedException("VNI " + network.vni() + " is taken by network " + other.name());
        }
        if (Subnets.overlap(other.subnet(), network.subnet())) {
          throw new CommandRejectedException("subnet " + network.subnet() + " overlaps " + other.subnet() + " of network " + other.name());
        }
      }
      return s.withNetworks(put(s.networks(), network.id(), network));
    }
  }

  record RemoveNetwork(String id) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      Network n = s.networks().get(id);
      if (n == null) {
        throw new CommandRejectedException("no network " + id);
      }
      if (n.ingress()) {
        throw new CommandRejectedException("the ingress network cannot be removed");
      }
      for (Service svc : s.services().values()) {
        if (svc.spec().networks().contains(n.name())) {
          throw new CommandRejectedException("network " + n.name() + " is in use by service " + svc.name());
        }
      }
      return s.withNetworks(remove(s.networks(), id));
    }
  }

  /** {@code service create|update|scale|publish}: names, marks and published ports stay unique. */
  record PutService(Service service) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      for (Service other : s.services().values()) {
        if (other.id().equals(service.id())) {
          continue;
        }
        if (other.name().equals(service.name())) {
          throw new CommandRejectedException("service name " + service.name() + " is taken");
        }
        if (other.mark() == service.mark()) {
          throw new CommandRejectedException("mark " + service.mark() + " is taken by service " + other.name());
        }
        for (PortConfig p : service.spec().ports()) {
          for (PortConfig q : other.spec().ports()) {
            if (p.published() == q.published() && p.protocol().equals(q.protocol())) {
              throw new CommandRejectedException("port " + p.published() + "/" + p.protocol()
                  + " is already published by service " + other.name());
            }
          }
        }
      }
      return s.withServices(put(s.services(), service.id(), service));
    }
  }

  /** {@code service rm}: the service goes; its tasks are shut down by the orchestrator. */
  record RemoveService(String id) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      if (!s.services().containsKey(id)) {
        throw new CommandRejectedException("no service " + id);
      }
      return s.withServices(remove(s.services(), id));
    }
  }

  /** The orchestrator's decisions: tasks created or changed ({@code put}) and removed ({@code remove}). */
  record PutTasks(List<Task> put, List<String> remove) implements Command {
    public PutTasks {
      put = put == null ? List.of() : List.copyOf(put);
      remove = remove == null ? List.of() : List.copyOf(remove);
    }

    @Override
    public ClusterState applyTo(ClusterState s) {
      Map<String, Task> m = new HashMap<>(s.tasks());
      for (Task t : put) {
        m.put(t.id(), t);
      }
      remove.forEach(m::remove);
      return s.withTasks(m);
    }
  }

  /** What a node's agent saw: a task's state moves only forward, and only the task's node may say so. */
  record ReportTasks(String nodeId, List<TaskReport> reports) implements Command {
    public ReportTasks {
      reports = reports == null ? List.of() : List.copyOf(reports);
    }

    @Override
    public ClusterState applyTo(ClusterState s) {
      Map<String, Task> m = new HashMap<>(s.tasks());
      for (TaskReport r : reports) {
        Task t = m.get(r.taskId());
        if (t == null || !nodeId.equals(t.nodeId()) || r.state().ordinal() <= t.state().ordinal()
            || t.state().isTerminal()) {
          continue;
        }
        m.put(t.id(), t.withStatus(r.state(), r.message(), r.exitCode(), r.at()));
      }
      return s.withTasks(m);
    }
  }

  private static <V> Map<String, V> put(Map<String, V> m, String k, V v) {
    Map<String, V> c = new HashMap<>(m);
    c.put(k, v);
    return c;
  }

  private static <V> Map<String, V> remove(Map<String, V> m, String k) {
    Map<String, V> c = new HashMap<>(m);
    c.remove(k);
    return c;
  }
}
