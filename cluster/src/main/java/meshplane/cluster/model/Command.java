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
    @JsonSubTypes.Type(value = Command.PutTokens.class, name = "put-tokens"),
    @JsonSubTypes.Type(value = Command.PutSettings.class, name = "put-settings"),
    @JsonSubTypes.Type(value = Command.PutPki.class, name = "put-pki"),
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

  /** {@code swarm init}: the cluster id, tokens, the root CA, settings, the first manager and the ingress network. */
  record Init(String clusterId, JoinTokens tokens,
      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) ClusterPki pki,
      ClusterSettings settings, Node first, Network ingress)
      implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      if (s.initialized()) {
        throw new CommandRejectedException("this node is already part of a swarm (cluster " + s.clusterId() + ")");
      }
      return new ClusterState(clusterId, s.index(), tokens, pki, settings, Map.of(first.id(), first),
          Map.of(ingress.id(), ingress), Map.of(), Map.of());
    }
  }

  /** A node joined, or changed (availability, labels, role, status). Hostnames stay unique. */
  record PutNode(Node node) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      s.nodeWithHostname(node.hostname()).filter(other -> !other.id().equals(node.id()))
          .ifPresent(other -> {
            throw new CommandRejectedException("node hostname " + node.hostname() + " is taken by node " + other.id());
          });
      return s.putNode(node);
    }
  }

  /** {@code swarm join-token --rotate}: the new tokens; the old ones admit no one from now on. */
  record PutTokens(JoinTokens tokens) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      if (!s.initialized()) {
        throw new CommandRejectedException("not a swarm yet");
      }
      return s.withTokens(tokens);
    }
  }

  /** {@code swarm ca --rotate} begun, or done: the cluster's PKI and the join tokens (which name the root). */
  record PutPki(ClusterPki pki, JoinTokens tokens) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      if (!s.initialized()) {
        throw new CommandRejectedException("not a swarm yet");
      }
      return s.withPki(pki).withTokens(tokens);
    }
  }

  /** {@code swarm update}: new cluster-wide settings (the certificate life: certificates issued from now on). */
  record PutSettings(ClusterSettings settings) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      if (!s.initialized()) {
        throw new CommandRejectedException("not a swarm yet");
      }
      return new ClusterState(s.clusterId(), s.index(), s.tokens(), s.pki(), settings, s.nodes(), s.networks(), s.services(),
          s.tasks());
    }
  }

  /**
   * {@code node rm}: the node and its lb addresses go, and its certificate is refused from now on;
   * its tasks are left to the orchestrator.
   */
  record RemoveNode(String id) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      if (!s.nodes().containsKey(id)) {
        throw new CommandRejectedException("no node " + id);
      }
      ClusterState next = s.removeNode(id);
      if (s.pki() != null) {
        next = next.withPki(s.pki().withRemoved(id));
      }
      for (Network n : s.networks().values()) {
        if (n.lbAddresses().containsKey(id)) {
          Map<String, String> lb = new HashMap<>(n.lbAddresses());
          lb.remove(id);
          next = next.putNetwork(n.withLbAddresses(lb));
        }
      }
      return next;
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
      return s.putNetwork(network);
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
      return s.removeNetwork(id);
    }
  }

  /** {@code service create|update|scale|publish}: names, marks and published ports stay unique. */
  record PutService(Service service) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      // by the state's indexes: O(log n) per name, mark and port, not a scan of every service
      s.serviceNamed(service.name()).filter(other -> !other.id().equals(service.id()))
          .ifPresent(other -> {
            throw new CommandRejectedException("service name " + service.name() + " is taken");
          });
      s.serviceWithMark(service.mark()).filter(other -> !other.id().equals(service.id())).ifPresent(other -> {
        throw new CommandRejectedException("mark " + service.mark() + " is taken by service " + other.name());
      });
      for (PortConfig p : service.spec().ports()) {
        for (Service other : s.servicesPublishing(p.published(), p.protocol())) {
          if (!other.id().equals(service.id())) {
            throw new CommandRejectedException("port " + p.published() + "/" + p.protocol()
                + " is already published by service " + other.name());
          }
        }
      }
      return s.putService(service);
    }
  }

  /** {@code service rm}: the service goes; its tasks are shut down by the orchestrator. */
  record RemoveService(String id) implements Command {
    @Override
    public ClusterState applyTo(ClusterState s) {
      if (!s.services().containsKey(id)) {
        throw new CommandRejectedException("no service " + id);
      }
      return s.removeService(id);
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
      return s.putTasks(put, remove);
    }
  }

  /** What a node's agent saw: a task's state moves only forward, and only the task's node may say so. */
  record ReportTasks(String nodeId, List<TaskReport> reports) implements Command {
    public ReportTasks {
      reports = reports == null ? List.of() : List.copyOf(reports);
    }

    @Override
    public ClusterState applyTo(ClusterState s) {
      Map<String, Task> moved = new java.util.LinkedHashMap<>();
      for (TaskReport r : reports) {
        Task t = moved.getOrDefault(r.taskId(), s.tasks().get(r.taskId()));
        if (t == null || !nodeId.equals(t.nodeId()) || r.state().ordinal() <= t.state().ordinal()
            || t.state().isTerminal()) {
          continue;
        }
        moved.put(t.id(), t.withStatus(r.state(), r.message(), r.exitCode(), r.at()));
      }
      return moved.isEmpty() ? s : s.putTasks(moved.values(), List.of());
    }
  }
}
