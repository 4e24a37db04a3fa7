package meshplane.cluster.orchestrator;

import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;

/**
 * Moves one service's tasks towards its spec within a {@link Round}: a task per slot
 * (replicated: 1..replicas; global: one per eligible node), extras shut down, ended tasks
 * restarted per the policy, PENDING tasks placed when a node fits, and the rolling update:
 * stop-first, one at a time, the next only when every slot's task of the new version is RUNNING.
 */
final class ServiceTasks {
  private final Round round;
  private final Service svc;

  /** A slot: the replica number, or (global) the node; its tasks, of any desired state. */
  private record Slot(int number, Node node, List<Task> tasks) {
    Task current() {
      return Round.newest(tasks.stream().filter(t -> t.desired() == TaskState.RUNNING).toList());
    }
  }

  ServiceTasks(Round round, Service svc) {
    this.round = round;
    this.svc = svc;
  }

  void reconcile() {
    List<Slot> slots = svc.spec().mode() == ServiceMode.GLOBAL ? globalSlots() : replicatedSlots();
    for (Slot slot : slots) {
      converge(slot);
    }
    rollingUpdate(svc.spec().mode() == ServiceMode.GLOBAL ? globalSlots() : replicatedSlots());
  }

  private List<Task> tasks() {
    return round.tasksOf(svc.id());
  }

  /** Slots 1..replicas; tasks of higher slots are shut down here. */
  private List<Slot> replicatedSlots() {
    List<Slot> slots = new ArrayList<>();
    for (int i = 1; i <= svc.spec().replicas(); i++) {
      int n = i;
      slots.add(new Slot(i, null, tasks().stream().filter(t -> t.slot() == n).toList()));
    }
    for (Task t : tasks()) {
      if (t.slot() > svc.spec().replicas() || t.slot() <= 0) {
        round.shutdown(t, "scaled down before it was placed");
      }
    }
    return slots;
  }

  /** A slot per node that may run the service (READY, not drained, constraints); others' tasks shut down. */
  private List<Slot> globalSlots() {
    List<Slot> slots = new ArrayList<>();
    for (Node n : round.state.nodes().values()) {
      List<Task> on = tasks().stream().filter(t -> n.id().equals(t.nodeId())).toList();
      if (n.status() == NodeStatus.READY && n.availability() != Availability.DRAIN && Scheduler.satisfies(svc.spec(), n)) {
        slots.add(new Slot(0, n, on));
      } else {
        on.forEach(t -> round.shutdown(t, null));
      }
    }
    for (Task t : tasks()) {
      if (t.nodeId() == null || !round.state.nodes().containsKey(t.nodeId())) {
        round.shutdown(t, "its node is gone");
      }
    }
    return slots;
  }

  private void converge(Slot slot) {
    Task cur = slot.current();
    for (Task t : slot.tasks()) {
      if (t != cur && t.desired() == TaskState.RUNNING) {
        round.shutdown(t, "a newer task took its slot");
      }
    }
    if (cur == null) {
      if (!stoppingForUpdate(slot)) {
        Task last = Round.newest(slot.tasks());
        create(slot, last == null ? 0 : last.attempt());
      }
    } else if (cur.state().isTerminal()) {
      if (Restarts.wanted(svc.spec().restart(), cur) && Restarts.due(svc.spec().restart(), cur, round.now)) {
        if (slot.node() == null || canTakeNew(slot.node())) {
          round.shutdown(cur, null);
          create(slot, cur.attempt() + 1);
        }
      } else if (Restarts.wanted(svc.spec().restart(), cur)) {
        round.recheck(svc.id()); // nothing in the state will change when the delay is over
      }
    } else if (cur.nodeId() == null) {
      round.retry(svc, cur);
    }
  }

  private void create(Slot slot, int attempt) {
    if (slot.node() == null) {
      round.create(svc, slot.number(), null, attempt);
    } else if (canTakeNew(slot.node())) {
      round.create(svc, 0, slot.node(), attempt);
    }
  }

  /** A global task goes on its node only when the node passes every filter (a paused node keeps its task but takes none). */
  private boolean canTakeNew(Node n) {
    return Scheduler.eligible(round.working(), svc.spec(), n);
  }

  /** Stop-first: an older version's task of this slot is still stopping, on a node that will report it. */
  private boolean stoppingForUpdate(Slot slot) {
    return slot.tasks().stream().anyMatch(t -> t.desired() == TaskState.SHUTDOWN && !t.state().isTerminal()
        && t.serviceVersion() < svc.version() && t.nodeId() != null && nodeWillReport(t.nodeId()));
  }

  private boolean nodeWillReport(String nodeId) {
    Node n = round.state.nodes().get(nodeId);
    return n != null && n.status() == NodeStatus.READY && n.availability() != Availability.DRAIN;
  }

  /** One older-version task replaced at a time, once no slot is still starting its new-version task. */
  private void rollingUpdate(List<Slot> slots) {
    Slot next = null;
    for (Slot slot : slots) {
      Task cur = slot.current();
      if (cur == null && stoppingForUpdate(slot)
          || cur != null && cur.serviceVersion() >= svc.version() && cur.state().ordinal() < TaskState.RUNNING.ordinal()) {
        return;
      }
      if (next == null && cur != null && cur.serviceVersion() < svc.version()) {
        next = slot;
      }
    }
    if (next == null) {
      return;
    }
    Task old = next.current();
    round.shutdown(old, "replaced by the service's update before it was placed");
    Task stopped = round.task(old.id());
    if (stopped.state().isTerminal()) {
      create(new Slot(next.number(), next.node(), List.of()), 0);
    }
  }
}
