package meshplane.cluster.manager;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.List;
import meshplane.cluster.api.ApiJson;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;

/**
 * The API's read answers (docs/cli.md, "What meshctl reads"): each record's own fields, plus
 * what a reader needs beside them: a manager's {@code leader}/{@code reachable}, a service's
 * {@code running}/{@code desired}, a task's {@code name}, {@code nodeHostname} and {@code image}.
 */
final class Views {
  private Views() {}

  static ObjectNode node(ClusterState s, Node n, boolean leader, boolean reachable) {
    ObjectNode o = ApiJson.MAPPER.valueToTree(n);
    if (n.isManager()) {
      o.put("leader", leader);
      o.put("reachable", reachable);
    }
    o.put("tasks", s.tasksOn(n.id()).stream().filter(t -> t.desired() == TaskState.RUNNING && !t.state().isTerminal()).count());
    ObjectNode tls = o.putObject("tls");
    tls.put("issuerSubject", CertificateIssuer.issuerSubject(s));
    tls.put("certificateNotAfter", n.certificateNotAfter() == null ? null
        : java.time.Instant.ofEpochMilli(n.certificateNotAfter()).toString());
    return o;
  }

  static ObjectNode service(ClusterState s, Service svc) {
    List<Task> tasks = s.tasksOf(svc.id());
    long running = tasks.stream().filter(t -> t.state() == TaskState.RUNNING && t.desired() == TaskState.RUNNING).count();
    long desired = svc.spec().mode() == ServiceMode.GLOBAL
        ? tasks.stream().filter(t -> t.desired() == TaskState.RUNNING).count()
        : svc.spec().replicas();
    ObjectNode o = ApiJson.MAPPER.valueToTree(svc);
    o.put("name", svc.name());
    o.put("running", running);
    o.put("desired", desired);
    return o;
  }

  static List<ObjectNode> tasks(ClusterState s, Service svc) {
    return s.tasksOf(svc.id()).stream()
        .sorted(Comparator.comparingInt(Task::slot).thenComparing(Task::nodeId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Comparator.comparingLong(Task::createdAt).reversed()))
        .map(t -> task(s, svc, t)).toList();
  }

  static ObjectNode task(ClusterState s, Service svc, Task t) {
    ObjectNode o = ApiJson.MAPPER.valueToTree(t);
    o.put("name", t.name());
    Node n = t.nodeId() == null ? null : s.nodes().get(t.nodeId());
    o.put("nodeHostname", n == null ? t.nodeId() : n.hostname());
    o.put("image", svc == null ? null : svc.spec().image());
    return o;
  }
}
