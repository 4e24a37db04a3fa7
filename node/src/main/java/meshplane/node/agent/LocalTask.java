package meshplane.node.agent;

import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import meshplane.cluster.model.TaskReport;
import meshplane.node.exec.TaskController;

/**
 * One task as this agent holds it: its controller (null when this node has no executor of the
 * name its service asks for), what the assignment wants of it, where the agent is with it
 * ({@link LocalState}), and the report the next heartbeat carries (null until there is one).
 * One thread at a time steps it ({@link #claim}); the fields are read by others (heartbeats).
 */
final class LocalTask {
  final String id;
  final String name;
  final String executor;
  final TaskController controller;
  /** On no network: the agent makes its namespace (only {@code lo}), as a container with network "none". */
  final boolean isolated;
  volatile Wanted wanted;
  volatile boolean startedBefore;
  volatile LocalState local = LocalState.NEW;
  volatile boolean plumbed;
  volatile long shutdownAtNanos;
  volatile TaskReport report;
  private final AtomicBoolean busy = new AtomicBoolean();

  LocalTask(String id, String name, String executor, TaskController controller, boolean isolated, Wanted wanted,
      boolean startedBefore) {
    this.id = id;
    this.name = name;
    this.executor = executor;
    this.controller = controller;
    this.isolated = isolated;
    this.wanted = wanted;
    this.startedBefore = startedBefore;
  }

  /** Takes the task for one thread's steps; false when another thread has it (or a removal runs). */
  boolean claim() {
    return busy.compareAndSet(false, true);
  }

  void release() {
    busy.set(false);
  }

  /** What is known of the task now; asks its controller for the exit status only while it runs. */
  TaskObservation observe(long nowNanos) {
    LocalState s = local;
    boolean runs = s == LocalState.RUNNING || s == LocalState.STOPPING;
    OptionalInt exit = runs && controller != null ? controller.exitStatus() : OptionalInt.empty();
    Duration since = s == LocalState.STOPPING ? Duration.ofNanos(nowNanos - shutdownAtNanos) : Duration.ZERO;
    return new TaskObservation(wanted, startedBefore, executor, controller != null, s, plumbed, exit, since);
  }

  void apply(TaskTransition t, long nowMillis) {
    if (t.next() == LocalState.STOPPING && local != LocalState.STOPPING) {
      shutdownAtNanos = System.nanoTime();
    }
    local = t.next();
    if (t.report() != null) {
      report = new TaskReport(id, t.report(), t.message(), t.exitCode(), nowMillis);
    }
  }

  @Override
  public String toString() {
    return "task " + name + " (" + id + "): " + local + ", wanted " + wanted;
  }
}
