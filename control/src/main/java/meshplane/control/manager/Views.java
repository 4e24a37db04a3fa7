package meshplane.control.manager;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.control.model.ClusterState;
import meshplane.control.model.Node;
import meshplane.control.model.Service;
import meshplane.control.model.ServiceMode;
import meshplane.control.model.Task;
import meshplane.control.model.TaskState;

/**
 * The API's read answers: the records as they are, plus what a reader needs beside them
 * (a service's running count, a task's name and node hostname, a manager's reachability).
 */
final class Views {
  private Views() {}

  static Map<String, Object> node(ClusterState s, Node n, String leaderApi, boolean reachable) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", n);
    if (n.isManager()) {
      m.put("managerStatus", n.apiAddress().equals(leaderApi) ? "Leader" : reachable ? "Reachable" : "Unreachable");
    }
    m.put("tasks", s.tasksOn(n.id()).stream().filter(t -> t.desired() == TaskState.RUNNING && !t.state().isTerminal()).count());
    return m;
  }

  static Map<String, Object> service(ClusterState s, Service svc) {
    List<Task> tasks = s.tasksOf(svc.id());
    long running = tasks.stream().filter(t -> t.state() == TaskState.RUNNING && t.desired() == TaskState.RUNNING).count();
    long desired = svc.spec().mode() == ServiceMode.GLOBAL
        ? tasks.stream().filter(t -> t.desired() == TaskState.RUNNING).count()
        : svc.spec().replicas();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("service", svc);
    m.put("running", running);
    m.put("desired", desired);
    return m;
  }

  static List<Map<String, Object>> tasks(ClusterState s, Service svc) {
    List<Map<String, Object>> out = new ArrayList<>();
    s.tasksOf(svc.id()).stream()
        .sorted(Comparator.comparingInt(Task::slot).thenComparing(Task::nodeId, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(Comparator.comparingLong(Task::createdAt).reversed()))
        .forEach(t -> out.add(task(s, svc, t)));
    return out;
  }

  static Map<String, Object> task(ClusterState s, Service svc, Task t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", t);
    m.put("name", t.name());
    m.put("node", t.nodeId() == null || !s.nodes().containsKey(t.nodeId()) ? null : s.nodes().get(t.nodeId()).hostname());
    m.put("image", svc == null ? null : svc.spec().image());
    m.put("current", svc != null && t.serviceVersion() == svc.version());
    return m;
  }
}
