package meshplane.cluster.orchestrator;

import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.ServiceSpec;

/**
 * How large the whole replicated state may grow: services, the tasks they ask for, networks,
 * nodes, and the bytes of all services' commands and environments (each spec's own size is
 * {@link SpecLimits}'). Every manager holds the state in memory and writes it in every snapshot,
 * and every node reads its part: a write that would pass a limit is refused, naming it. The
 * counts leave room for Swarm-scale clusters (Swarm2k: 2,384 nodes and about 96,000 tasks) and
 * for the control-plane benchmark's tens of thousands of services; they bound a runaway client,
 * not a real cluster.
 */
public final class StateLimits {
  public static final int MAX_SERVICES = 50_000;
  /** Replicas asked for in all (a global service: one per node). */
  public static final int MAX_TASKS = 100_000;
  public static final int MAX_NETWORKS = 256;
  public static final int MAX_NODES = 5_000;
  /** The commands and environments of all services together. */
  public static final long MAX_EXEC_BYTES = 64L << 20;

  private StateLimits() {}

  /** {@code spec} replacing {@code old} (null: a new service). */
  static void checkService(ClusterState s, Service old, ServiceSpec spec) {
    if (old == null && s.services().size() >= MAX_SERVICES) {
      throw new InvalidRequestException("services", "the cluster has " + s.services().size() + " services, at most " + MAX_SERVICES);
    }
    checkTasks(s, old, spec);
    long bytes = SpecLimits.execBytes(spec);
    for (Service other : s.services().values()) {
      bytes += old != null && other.id().equals(old.id()) ? 0 : SpecLimits.execBytes(other.spec());
    }
    if (bytes > MAX_EXEC_BYTES) {
      throw new InvalidRequestException("command", "the services' commands and environments would take " + bytes
          + " bytes in all, at most " + MAX_EXEC_BYTES);
    }
  }

  /** The replicas of all services once {@code old} asks for what {@code spec} says. */
  public static void checkTasks(ClusterState s, Service old, ServiceSpec spec) {
    long tasks = replicas(s, spec);
    for (Service other : s.services().values()) {
      tasks += old != null && other.id().equals(old.id()) ? 0 : replicas(s, other.spec());
    }
    if (tasks > MAX_TASKS) {
      throw new InvalidRequestException("replicas", "the cluster would run " + tasks + " tasks, at most " + MAX_TASKS);
    }
  }

  private static long replicas(ClusterState s, ServiceSpec spec) {
    return spec.mode() == ServiceMode.GLOBAL ? s.nodes().size() : spec.replicas();
  }

  static void checkNetworks(ClusterState s) {
    if (s.networks().size() >= MAX_NETWORKS) {
      throw new InvalidRequestException("networks", "the cluster has " + s.networks().size() + " networks, at most " + MAX_NETWORKS);
    }
  }

  /** A new node joining. */
  public static void checkNodes(ClusterState s) {
    if (s.nodes().size() >= MAX_NODES) {
      throw new InvalidRequestException("nodes", "the cluster has " + s.nodes().size() + " nodes, at most " + MAX_NODES);
    }
  }
}
