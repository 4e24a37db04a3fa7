package meshplane.node.agent;

import java.time.Duration;
import meshplane.cluster.model.TaskState;

/**
 * The agent's whole decision about one task, as a pure function (SwarmKit's {@code exec.Do}
 * without its side effects): {@link #next} gives the action for what is observed, and
 * {@link #succeeded} and {@link #failed} the state that action leaves the task in. The
 * supervisor only observes, does the action through the task's controller, and records the
 * transition.
 *
 * <pre>
 *   NEW --ADOPT--> RUNNING                     (an earlier run of the agent started it: keep it)
 *   NEW --ADOPT fails--> FRESH --PREPARE--> PREPARED --(plumbed) START--> RUNNING
 *   RUNNING --(exited) REPORT_EXIT--> ENDED    (COMPLETE or FAILED; never restarted here)
 *   RUNNING --(not wanted) SHUTDOWN--> STOPPING --(ended) REPORT_STOPPED--> ENDED
 *   STOPPING --(grace over) TERMINATE, again each step--> STOPPING --(kill wait over) ABANDON--> ENDED
 *   PREPARE fails --> ENDED (REJECTED);  START fails --> ENDED (FAILED);  no executor: REJECT --> ENDED
 *   ENDED --REMOVE--> REMOVED --(gone from the assignment) FORGET
 * </pre>
 */
final class TaskStep {
  /** How long a task has between SIGTERM and SIGKILL (Docker's default stop timeout is 10 s too). */
  static final Duration GRACE = Duration.ofSeconds(10);
  /** How long after the first SIGKILL processes may linger before the stop gives up on them. */
  static final Duration KILL_WAIT = Duration.ofSeconds(10);

  private TaskStep() {}

  /** The next action for a task in the observed situation; {@link TaskAction#NONE} to wait. */
  static TaskAction next(TaskObservation o) {
    boolean run = o.wanted() == Wanted.RUNNING;
    return switch (o.local()) {
      case NEW -> !o.executorKnown() ? (run ? TaskAction.REJECT : TaskAction.CANCEL)
          : run && !o.startedBefore() ? TaskAction.PREPARE : TaskAction.ADOPT;
      case FRESH -> !run ? TaskAction.CANCEL : o.executorKnown() ? TaskAction.PREPARE : TaskAction.REJECT;
      case PREPARED -> !run ? TaskAction.CANCEL : o.plumbed() ? TaskAction.START : TaskAction.NONE;
      case RUNNING -> o.exit().isPresent() ? TaskAction.REPORT_EXIT : run ? TaskAction.NONE : TaskAction.SHUTDOWN;
      case STOPPING -> o.exit().isPresent() ? TaskAction.REPORT_STOPPED
          : o.sinceShutdown().compareTo(GRACE.plus(KILL_WAIT)) >= 0 ? TaskAction.ABANDON
          : o.sinceShutdown().compareTo(GRACE) >= 0 ? TaskAction.TERMINATE : TaskAction.NONE;
      case ENDED -> TaskAction.REMOVE;
      case REMOVED -> o.wanted() == Wanted.GONE ? TaskAction.FORGET : TaskAction.NONE;
    };
  }

  /** Where {@code action}, done without error, leaves the task observed as {@code o}. */
  static TaskTransition succeeded(TaskAction action, TaskObservation o) {
    return switch (action) {
      case NONE -> TaskTransition.to(o.local());
      case ADOPT -> TaskTransition.to(LocalState.RUNNING, TaskState.RUNNING, "adopted after an agent restart");
      case PREPARE -> TaskTransition.to(LocalState.PREPARED, TaskState.ASSIGNED, "preparing");
      case START -> TaskTransition.to(LocalState.RUNNING, TaskState.RUNNING, "started");
      case REJECT -> TaskTransition.to(LocalState.ENDED, TaskState.REJECTED,
          "no executor \"" + o.executor() + "\" on this node");
      case CANCEL -> TaskTransition.to(LocalState.ENDED, TaskState.SHUTDOWN, "shut down before it started");
      case SHUTDOWN, TERMINATE -> TaskTransition.to(LocalState.STOPPING);
      case REPORT_EXIT -> exited(o.exit().orElseThrow(() -> new IllegalArgumentException(
          "REPORT_EXIT of a task with no exit status: " + o)));
      case REPORT_STOPPED -> new TaskTransition(LocalState.ENDED, TaskState.SHUTDOWN, "shut down",
          o.exit().isPresent() ? o.exit().getAsInt() : null);
      case ABANDON -> TaskTransition.to(LocalState.ENDED, TaskState.SHUTDOWN, "shut down, but processes of it still ran "
          + KILL_WAIT.toSeconds() + " s after SIGKILL");
      case REMOVE -> TaskTransition.to(LocalState.REMOVED);
      case FORGET -> throw new IllegalArgumentException("a forgotten task has no next state: " + o);
    };
  }

  /** Where {@code action}, failed with {@code why}, leaves the task observed as {@code o}. */
  static TaskTransition failed(TaskAction action, TaskObservation o, String why) {
    return switch (action) {
      // nothing to adopt, or it could not be looked at: it runs nowhere as far as this agent can tell
      case ADOPT -> TaskTransition.to(LocalState.FRESH);
      case PREPARE -> TaskTransition.to(LocalState.ENDED, TaskState.REJECTED, why);
      case START -> TaskTransition.to(LocalState.ENDED, TaskState.FAILED, "starting: " + why);
      // a signal that could not be sent: the clock goes on, SIGKILL and then ABANDON follow
      case SHUTDOWN, TERMINATE -> TaskTransition.to(LocalState.STOPPING);
      // what could not be removed is found again as a leftover and tried again
      case REMOVE -> TaskTransition.to(LocalState.REMOVED);
      default -> throw new IllegalArgumentException(action + " does nothing that can fail: " + o);
    };
  }

  private static TaskTransition exited(int code) {
    return code == 0 ? new TaskTransition(LocalState.ENDED, TaskState.COMPLETE, "finished", 0)
        : new TaskTransition(LocalState.ENDED, TaskState.FAILED, "task: non-zero exit (" + code + ")", code);
  }
}
