package meshplane.cluster.orchestrator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;

/**
 * The leader's planning (docs/control-plane.md, "Orchestration"): from the cluster state, the
 * commands that move it towards what the services ask for. Pure: {@code now} and the ids are
 * given. Returns a {@code PutNetwork} per network that needs lb addresses for new nodes, then at
 * most one {@code PutTasks}; nothing at all when the state has converged, so an idle leader never
 * writes to the log.
 */
public final class Orchestrator {
  private Orchestrator() {}

  public static List<Command> plan(ClusterState s, long now, IdGenerator ids) {
    List<Command> commands = new ArrayList<>();
    Map<String, Network> networks = new TreeMap<>(s.networks());
    for (Network n : s.networks().values()) {
      Map<String, String> lb = NetworkAllocator.lbAddresses(s, n);
      if (!lb.equals(n.lbAddresses())) {
        Network withLb = n.withLbAddresses(lb);
        networks.put(n.id(), withLb);
        commands.add(new Command.PutNetwork(withLb));
      }
    }
    Round round = new Round(s.withNetworks(networks), now, ids);
    lostNodes(round);
    s.services().values().stream().sorted(Comparator.comparing(Service::name))
        .forEach(svc -> new ServiceTasks(round, svc).reconcile());
    for (Task t : round.tasks()) {
      if (!s.services().containsKey(t.serviceId())) {
        round.shutdown(t, "its service was removed");
      }
    }
    TaskHistory.collect(round);
    if (!round.changed().isEmpty() || !round.removed().isEmpty()) {
      commands.add(new Command.PutTasks(round.changed(), round.removed()));
    }
    return commands;
  }

  /** Tasks on a node that is down or gone are orphaned; those on a drained node are stopped. */
  private static void lostNodes(Round round) {
    for (Task t : round.tasks()) {
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
