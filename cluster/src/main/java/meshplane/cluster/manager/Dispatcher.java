package meshplane.cluster.manager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's view of agents' sessions, as Swarm's dispatcher: heartbeats are kept in memory
 * (never in the log); a node that misses three periods is written down, a down node that beats
 * again is written ready. Task reports ride on heartbeats and are written only when they move a
 * task's state.
 */
final class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  static final int MISSED_BEATS = 3;

  private final Map<String, Long> lastBeat = new ConcurrentHashMap<>();
  private final LeaderWriter writer;

  Dispatcher(LeaderWriter writer) {
    this.writer = writer;
  }

  /** A new leader gives every node a full grace period: it has heard no one yet. */
  void becameLeader(ClusterState s, long now) {
    lastBeat.clear();
    s.nodes().keySet().forEach(id -> lastBeat.put(id, now));
  }

  /**
   * A heartbeat from {@code nodeId} (its certificate's): marks it ready if it was down, and writes
   * the reports that matter; a report of another node's task refuses the whole beat (403).
   */
  void heartbeat(ClusterState s, String nodeId, List<TaskReport> reports, long now) {
    Node n = s.nodes().get(nodeId);
    if (n == null) {
      throw new meshplane.cluster.api.ApiFailure(404, "node " + nodeId + " is not part of this swarm (removed?)");
    }
    for (TaskReport r : reports) {
      Task t = s.tasks().get(r.taskId());
      if (t != null && t.nodeId() != null && !nodeId.equals(t.nodeId())) {
        throw new meshplane.cluster.api.ApiFailure(403, "node " + nodeId + " may report only its own tasks: task "
            + r.taskId() + " is on node " + t.nodeId());
      }
    }
    lastBeat.put(nodeId, now);
    if (n.status() != NodeStatus.READY) {
      LOG.info("node {} ({}) is ready", n.hostname(), nodeId);
      writer.write(st -> st.nodes().containsKey(nodeId) && st.nodes().get(nodeId).status() != NodeStatus.READY
          ? new Command.PutNode(st.nodes().get(nodeId).withStatus(NodeStatus.READY)) : null);
    }
    List<TaskReport> moving = new ArrayList<>();
    for (TaskReport r : reports) {
      Task t = s.tasks().get(r.taskId());
      if (t != null && nodeId.equals(t.nodeId()) && !t.state().isTerminal() && r.state().ordinal() > t.state().ordinal()) {
        moving.add(r);
      }
    }
    if (!moving.isEmpty()) {
      writer.write(st -> new Command.ReportTasks(nodeId, moving));
    }
  }

  /** Writes down every ready node silent for three periods. */
  void checkSessions(ClusterState s, long now) {
    long limit = MISSED_BEATS * s.settings().heartbeatMillis();
    for (Node n : s.nodes().values()) {
      long last = lastBeat.computeIfAbsent(n.id(), k -> now);
      if (n.status() == NodeStatus.READY && now - last > limit) {
        LOG.info("node {} ({}) missed {} heartbeats: down", n.hostname(), n.id(), MISSED_BEATS);
        writer.write(st -> st.nodes().containsKey(n.id()) && st.nodes().get(n.id()).status() == NodeStatus.READY
            ? new Command.PutNode(st.nodes().get(n.id()).withStatus(NodeStatus.DOWN)) : null);
      }
    }
    lastBeat.keySet().retainAll(s.nodes().keySet());
  }
}
