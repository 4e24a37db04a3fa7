package meshplane.cluster.orchestrator;

import java.util.HashSet;
import java.util.Set;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskReport;

/**
 * What the next plan must look at, as Swarm's orchestrator marks services dirty from store
 * events: the services whose spec or tasks changed, the nodes whose status, availability,
 * labels or membership changed (their tasks' services are re-planned, and their tasks orphaned
 * or stopped), and whether placement may have changed ({@code placement}: a node came, went or
 * changed, or a task ended and freed its node's resources; the services with unplaced tasks and
 * every global service are then re-planned too). {@code all}: a full pass over everything (a new
 * leader, the periodic safety net).
 */
public record Dirty(boolean all, Set<String> services, Set<String> nodes, boolean placement) {
  public static final Dirty NONE = new Dirty(false, Set.of(), Set.of(), false);
  public static final Dirty ALL = new Dirty(true, Set.of(), Set.of(), true);

  public Dirty {
    services = Set.copyOf(services);
    nodes = Set.copyOf(nodes);
  }

  public static Dirty services(Set<String> ids) {
    return ids.isEmpty() ? NONE : new Dirty(false, ids, Set.of(), false);
  }

  /**
   * What applying {@code c} touched, looked up in {@code after} (the state right after it):
   * O(size of the command), so the leader's state machine thread can afford it on every entry.
   */
  public static Dirty of(Command c, ClusterState after) {
    if (c instanceof Command.Init) {
      return ALL;
    } else if (c instanceof Command.PutNode p) {
      return new Dirty(false, Set.of(), Set.of(p.node().id()), true);
    } else if (c instanceof Command.RemoveNode r) {
      return new Dirty(false, Set.of(), Set.of(r.id()), true);
    } else if (c instanceof Command.PutService p) {
      return services(Set.of(p.service().id()));
    } else if (c instanceof Command.RemoveService r) {
      return services(Set.of(r.id()));
    } else if (c instanceof Command.PutTasks p) {
      Set<String> ids = new HashSet<>();
      p.put().forEach(t -> ids.add(t.serviceId()));
      return services(ids);
    } else if (c instanceof Command.ReportTasks r) {
      Set<String> ids = new HashSet<>();
      boolean freed = false;
      for (TaskReport rep : r.reports()) {
        Task t = after.tasks().get(rep.taskId());
        if (t != null) {
          ids.add(t.serviceId());
        }
        freed |= rep.state().isTerminal();
      }
      return new Dirty(false, ids, Set.of(), freed);
    }
    // PutNetwork: a new network comes with its lb addresses, node changes bring the rest;
    // RemoveNetwork: refused while a service uses the network
    return NONE;
  }

  public boolean isEmpty() {
    return !all && !placement && services.isEmpty() && nodes.isEmpty();
  }

  /** Both marks together. */
  public Dirty plus(Dirty o) {
    if (all || o.isEmpty()) {
      return all ? ALL : this;
    }
    if (o.all || isEmpty()) {
      return o.all ? ALL : o;
    }
    Set<String> s = new HashSet<>(services);
    s.addAll(o.services);
    Set<String> n = new HashSet<>(nodes);
    n.addAll(o.nodes);
    return new Dirty(false, s, n, placement || o.placement);
  }
}
