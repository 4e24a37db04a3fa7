package meshplane.cluster.orchestrator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;

/**
 * The leader's planning (docs/control-plane.md, "Orchestration"): from the cluster state and
 * what changed in it ({@link Dirty}), the commands that move it towards what the services ask
 * for. Pure: {@code now} and the ids are given. Returns a {@code PutNetwork} per network that
 * needs lb addresses for new nodes, then at most one {@code PutTasks}; nothing at all when what
 * it looked at has converged, so an idle leader never writes to the log.
 *
 * <p>Only the dirty services are reconciled, with their tasks found through the state's indexes:
 * a round's cost follows what changed, not the cluster's size. A dirty node brings the services
 * with tasks on it (its tasks orphaned when it is down or gone, stopped when drained); a change
 * of placement brings the services with unplaced tasks and the global ones. {@link Dirty#ALL}
 * looks at everything, as a new leader and the periodic safety net do.
 */
public final class Orchestrator {
  private Orchestrator() {}

  /** A full pass ({@link Dirty#ALL}): the commands alone. */
  public static List<Command> plan(ClusterState s, long now, IdGenerator ids) {
    return plan(s, Dirty.ALL, now, ids).commands();
  }

  public static Plan plan(ClusterState s, Dirty dirty, long now, IdGenerator ids) {
    List<Command> commands = new ArrayList<>();
    ClusterState withLb = s;
    if (dirty.all() || !dirty.nodes().isEmpty()) {
      for (Network n : s.networks().values()) {
        if (!n.lbAddresses().keySet().containsAll(s.nodes().keySet())) {
          Network next = n.withLbAddresses(NetworkAllocator.lbAddresses(s, n));
          withLb = withLb.putNetwork(next);
          commands.add(new Command.PutNetwork(next));
        }
      }
    }
    Round round = new Round(withLb, now, ids);
    Set<String> serviceIds = dirty.all() ? allServiceIds(s) : serviceIds(s, dirty);
    lostNodes(round, dirty.all() ? List.copyOf(round.tasks()) : tasksOnNodes(round, dirty.nodes()));
    serviceIds.stream().map(id -> s.services().get(id)).filter(java.util.Objects::nonNull)
        .sorted(Comparator.comparing(Service::name))
        .forEach(svc -> new ServiceTasks(round, svc).reconcile());
    for (String id : serviceIds) {
      if (!s.services().containsKey(id)) {
        round.tasksOf(id).forEach(t -> round.shutdown(t, "its service was removed"));
      }
    }
    List<Task> looked = new ArrayList<>();
    serviceIds.forEach(id -> looked.addAll(round.tasksOf(id)));
    TaskHistory.collect(round, looked);
    if (!round.changed().isEmpty() || !round.removed().isEmpty()) {
      commands.add(new Command.PutTasks(round.changed(), round.removed()));
    }
    return new Plan(commands, round.rechecks());
  }

  /**
   * The safety net's full pass, as marks: what a full pass over {@code s} would change (the
   * services whose tasks it would put or remove, those it would recheck; everything when a
   * network lacks a node's lb address), without the commands. It can run on a state that is
   * already behind (off the writer's thread, while writes go on): the marked services are then
   * planned on the latest state like any other mark, and a converged cluster marks nothing.
   */
  public static Dirty drift(ClusterState s, long now, IdGenerator ids) {
    Plan p = plan(s, Dirty.ALL, now, ids);
    Set<String> services = new TreeSet<>(p.recheck());
    for (Command c : p.commands()) {
      if (c instanceof Command.PutNetwork) {
        return Dirty.ALL;
      }
      if (c instanceof Command.PutTasks put) {
        put.put().forEach(t -> services.add(t.serviceId()));
        put.remove().forEach(id -> services.add(s.tasks().get(id).serviceId()));
      }
    }
    return Dirty.services(services);
  }

  /** Every service, and every service id a task still names (a removed service's tasks). */
  private static Set<String> allServiceIds(ClusterState s) {
    Set<String> ids = new TreeSet<>(s.services().keySet());
    s.tasks().values().forEach(t -> ids.add(t.serviceId()));
    return ids;
  }

  /** The dirty services, those with tasks on a dirty node and, when placement changed, those with unplaced tasks and the global ones. */
  private static Set<String> serviceIds(ClusterState s, Dirty dirty) {
    Set<String> ids = new TreeSet<>(dirty.services());
    for (String node : dirty.nodes()) {
      s.tasksOn(node).forEach(t -> ids.add(t.serviceId()));
    }
    if (dirty.placement()) {
      s.unassignedTasks().forEach(t -> ids.add(t.serviceId()));
      s.servicesOfMode(ServiceMode.GLOBAL).forEach(svc -> ids.add(svc.id()));
    }
    return ids;
  }

  private static List<Task> tasksOnNodes(Round round, Collection<String> nodes) {
    List<Task> on = new ArrayList<>();
    nodes.forEach(n -> on.addAll(round.tasksOn(n)));
    return on;
  }

  /** Of {@code tasks}: those on a node that is down or gone are orphaned; those on a drained node are stopped. */
  private static void lostNodes(Round round, List<Task> tasks) {
    for (Task t : tasks) {
      if (t.nodeId() == null || t.state().isTerminal()) {
        continue;
      }
      Node n = round.state.nodes().get(t.nodeId());
      if (n == null || n.status() == NodeStatus.DOWN) {
        round.put(t.withDesired(TaskState.SHUTDOWN, round.now)
            .withStatus(TaskState.ORPHANED, n == null ? "its node was removed" : "node " + n.hostname() + " is down", null, round.now));
      } else if (n.availability() == Availability.DRAIN && t.desired() == TaskState.RUNNING) {
        round.put(t.withDesired(TaskState.SHUTDOWN, round.now));
      }
    }
  }
}
