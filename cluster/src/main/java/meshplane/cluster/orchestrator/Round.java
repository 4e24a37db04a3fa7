package meshplane.cluster.orchestrator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import meshplane.cluster.model.Attachment;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.Subnets;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;

/**
 * One planning round: the working set of tasks (the state's plus the round's changes, so a task
 * placed earlier in the round counts for the next placement and its addresses are taken), and the
 * changes made, which become one {@code PutTasks}. The working set is the state with the changes
 * applied to its persistent task table: starting a round copies nothing, and a service's tasks
 * come from the table's index.
 */
final class Round {
  private static final int ID_PREFIX = 9;
  private static final int MAX_ID_TRIES = 1000;
  final ClusterState state;
  final long now;
  private final IdGenerator ids;
  private ClusterState work;
  private final Map<String, Task> changed = new LinkedHashMap<>();
  private final Set<String> removed = new LinkedHashSet<>();
  private final Set<String> removedPrefixes = new HashSet<>();
  private final Set<String> recheck = new TreeSet<>();

  Round(ClusterState state, long now, IdGenerator ids) {
    this.state = state;
    this.now = now;
    this.ids = ids;
    this.work = state;
  }

  /** Every task of the working set (a view of this moment's table: later changes do not show in it). */
  Collection<Task> tasks() {
    return work.tasks().values();
  }

  List<Task> tasksOf(String serviceId) {
    return work.tasksOf(serviceId);
  }

  List<Task> tasksOn(String nodeId) {
    return work.tasksOn(nodeId);
  }

  /** The round's state with its changes so far: what the scheduler and the allocators count. */
  ClusterState working() {
    return work;
  }

  /** The working set's version of {@code id}, or null when it is gone. */
  Task task(String id) {
    return work.tasks().get(id);
  }

  void put(Task t) {
    if (!t.equals(work.tasks().get(t.id()))) {
      work = work.putTasks(List.of(t), List.of());
      changed.put(t.id(), t);
    }
  }

  void remove(Task t) {
    work = work.putTasks(List.of(), List.of(t.id()));
    changed.remove(t.id());
    removedPrefixes.add(t.id().substring(0, Math.min(ID_PREFIX, t.id().length())));
    if (state.tasks().containsKey(t.id())) {
      removed.add(t.id());
    }
  }

  /** Service {@code serviceId} waits for time to pass (a restart's delay): plan it again next round. */
  void recheck(String serviceId) {
    recheck.add(serviceId);
  }

  Set<String> rechecks() {
    return recheck;
  }

  List<Task> changed() {
    return List.copyOf(changed.values());
  }

  List<String> removed() {
    return List.copyOf(removed);
  }

  /** Gives {@code t} desired SHUTDOWN; a task never placed has nothing to stop, so it ends at once. */
  void shutdown(Task t, String whyUnplaced) {
    if (t.desired() == TaskState.SHUTDOWN) {
      return;
    }
    Task d = t.withDesired(TaskState.SHUTDOWN, now);
    if (t.nodeId() == null && !t.state().isTerminal()) {
      d = d.withStatus(TaskState.SHUTDOWN, whyUnplaced, null, now);
    }
    put(d);
  }

  /**
   * A new task of {@code svc} in {@code slot} (0 for a global task, then on {@code node}); else
   * placed by the scheduler, or PENDING with no node and the reason when nothing fits.
   */
  Task create(Service svc, int slot, Node node, int attempt) {
    String id = newTaskId();
    List<Attachment> attachments = new ArrayList<>();
    // one attachment per network (the spec lists a network once), each taking the network's lowest free address
    for (Network n : Networks.ofTask(state, svc.spec())) {
      String ip = IpAllocator.take(n, IpAllocator.used(work, n));
      attachments.add(new Attachment(n.id(), ip, Subnets.macOf(ip)));
    }
    Placement p = node != null ? new Placement(node, null) : Scheduler.place(work, svc.id(), svc.spec());
    Task t = new Task(id, svc.id(), svc.name(), svc.version(), slot, p.placed() ? p.node().id() : null,
        TaskState.RUNNING, p.placed() ? TaskState.ASSIGNED : TaskState.PENDING, p.placed() ? "assigned" : p.reason(),
        null, attachments, attempt, now, now);
    put(t);
    return t;
  }

  /** Tries again to place a PENDING task that has no node; updates its message when still nothing fits. */
  void retry(Service svc, Task pending) {
    Placement p = Scheduler.place(work, svc.id(), svc.spec());
    if (p.placed()) {
      put(new Task(pending.id(), pending.serviceId(), pending.serviceName(), pending.serviceVersion(), pending.slot(),
          p.node().id(), pending.desired(), TaskState.ASSIGNED, "assigned", null, pending.attachments(),
          pending.attempt(), pending.createdAt(), now));
    } else if (!p.reason().equals(pending.message())) {
      put(pending.withStatus(TaskState.PENDING, p.reason(), null, now));
    }
  }

  /** An id whose first {@value #ID_PREFIX} characters no task of the working set, nor one removed this round, starts with. */
  private String newTaskId() {
    for (int i = 0; i < MAX_ID_TRIES; i++) {
      String id = ids.newId();
      String prefix = id.substring(0, Math.min(ID_PREFIX, id.length()));
      if (!work.hasTaskIdPrefix(prefix) && !removedPrefixes.contains(prefix)) {
        return id;
      }
    }
    throw new IllegalStateException("no task id with a unique " + ID_PREFIX + "-character prefix after " + MAX_ID_TRIES + " tries");
  }

  /** The newest of {@code ts} (by creation, then id), or null. */
  static Task newest(List<Task> ts) {
    return ts.stream().max(Comparator.comparingLong(Task::createdAt).thenComparing(Task::id)).orElse(null);
  }
}
