package meshplane.cluster.assignment;

import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;

/** One node's assignment from the cluster state (version 0: the dispatcher versions it). */
public final class AssignmentBuilder {
  private AssignmentBuilder() {}

  /** The assignment of node {@code nodeId}; an IllegalArgumentException if the state has no such node. */
  public static Assignment build(ClusterState s, String nodeId) {
    Node me = s.nodes().get(nodeId);
    if (me == null) {
      throw new IllegalArgumentException("node " + nodeId + " is not part of this swarm (removed?)");
    }
    List<Task> mine = s.tasksOn(nodeId);
    List<AssignedTask> tasks = new ArrayList<>();
    for (Task t : mine) {
      if (t.state().isTerminal()) {
        continue;
      }
      Service svc = s.services().get(t.serviceId());
      TaskRuntime runtime = svc == null ? null
          : new TaskRuntime(svc.spec().executor(), svc.spec().image(), svc.spec().command(), svc.spec().env(),
              svc.spec().limits(), svc.spec().logOptions());
      TaskState desired = svc == null ? TaskState.SHUTDOWN : t.desired();
      tasks.add(new AssignedTask(t.id(), t.name(), desired, t.state(), t.attachments(), runtime));
    }
    List<String> managers = s.managers().stream().map(Node::apiAddress).toList();
    return new Assignment(0, s.clusterId(), nodeId, me.role(), managers, tasks,
        DataplaneSlice.build(s, me, mine), trust(s));
  }

  private static TrustState trust(ClusterState s) {
    if (s.pki() == null) {
      return null;
    }
    var p = s.pki();
    return new TrustState(Digests.of(p.issuingCertificate()), p.trustedRoots().stream().map(Digests::of).toList());
  }
}
