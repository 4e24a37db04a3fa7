package meshplane.node.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import meshplane.cluster.model.TaskState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The step function against a table written by hand, for every combination of its inputs
 * (local state x wanted x executor x started before x plumbed x exit x time since the stop
 * began), then the transitions of every action, then whole runs of the state machine from every
 * state: no process, no kernel.
 */
@Tag("unit")
class TaskStepTest {
  private static final List<OptionalInt> EXITS = List.of(OptionalInt.empty(), OptionalInt.of(0), OptionalInt.of(3));
  private static final List<Duration> SINCE = List.of(Duration.ZERO, Duration.ofSeconds(9), Duration.ofSeconds(10),
      Duration.ofSeconds(19), Duration.ofSeconds(20));

  /**
   * local, wanted, executor known, started before, plumbed, exit (-: none), seconds since the
   * shutdown; '*' is any value, '|' separates values. Every combination matches exactly one row.
   */
  private static final String TABLE = """
      NEW      RUNNING        yes no  *   *   *         PREPARE
      NEW      RUNNING        yes yes *   *   *         ADOPT
      NEW      RUNNING        no  *   *   *   *         REJECT
      NEW      SHUTDOWN|GONE  yes *   *   *   *         ADOPT
      NEW      SHUTDOWN|GONE  no  *   *   *   *         CANCEL
      FRESH    RUNNING        yes *   *   *   *         PREPARE
      FRESH    RUNNING        no  *   *   *   *         REJECT
      FRESH    SHUTDOWN|GONE  *   *   *   *   *         CANCEL
      PREPARED RUNNING        *   *   yes *   *         START
      PREPARED RUNNING        *   *   no  *   *         NONE
      PREPARED SHUTDOWN|GONE  *   *   *   *   *         CANCEL
      RUNNING  *              *   *   *   0|3 *         REPORT_EXIT
      RUNNING  RUNNING        *   *   *   -   *         NONE
      RUNNING  SHUTDOWN|GONE  *   *   *   -   *         SHUTDOWN
      STOPPING *              *   *   *   0|3 *         REPORT_STOPPED
      STOPPING *              *   *   *   -   0|9       NONE
      STOPPING *              *   *   *   -   10|19     TERMINATE
      STOPPING *              *   *   *   -   20        ABANDON
      ENDED    *              *   *   *   *   *         REMOVE
      REMOVED  RUNNING|SHUTDOWN *  *  *   *   *         NONE
      REMOVED  GONE           *   *   *   *   *         FORGET
      """;

  @Test
  void everyCombinationGivesTheActionOfTheTable() {
    List<String[]> rows = TABLE.lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> l.split("\\s+")).toList();
    int checked = 0;
    for (LocalState local : LocalState.values()) {
      for (Wanted wanted : Wanted.values()) {
        for (boolean known : List.of(true, false)) {
          for (boolean started : List.of(true, false)) {
            for (boolean plumbed : List.of(true, false)) {
              for (OptionalInt exit : EXITS) {
                for (Duration since : SINCE) {
                  TaskObservation o = new TaskObservation(wanted, started, "process", known, local, plumbed, exit, since);
                  List<String[]> matching = rows.stream().filter(r -> matches(r, o)).toList();
                  assertEquals(1, matching.size(), "rows of the table for " + o + ": " + matching.size());
                  assertEquals(TaskAction.valueOf(matching.get(0)[7]), TaskStep.next(o), o.toString());
                  checked++;
                }
              }
            }
          }
        }
      }
    }
    assertEquals(7 * 3 * 2 * 2 * 2 * 3 * 5, checked);
  }

  private static boolean matches(String[] row, TaskObservation o) {
    return cell(row[0], o.local().name()) && cell(row[1], o.wanted().name())
        && cell(row[2], o.executorKnown() ? "yes" : "no") && cell(row[3], o.startedBefore() ? "yes" : "no")
        && cell(row[4], o.plumbed() ? "yes" : "no")
        && cell(row[5], o.exit().isPresent() ? Integer.toString(o.exit().getAsInt()) : "-")
        && cell(row[6], Long.toString(o.sinceShutdown().toSeconds()));
  }

  private static boolean cell(String pattern, String value) {
    return pattern.equals("*") || List.of(pattern.split("\\|")).contains(value);
  }

  @Test
  void successfulActionsLeadWhereSwarmsTaskLifeGoes() {
    TaskObservation running = observation(LocalState.RUNNING, Wanted.RUNNING, OptionalInt.empty());
    assertEquals(new TaskTransition(LocalState.RUNNING, TaskState.RUNNING, "adopted after an agent restart", null),
        TaskStep.succeeded(TaskAction.ADOPT, observation(LocalState.NEW, Wanted.RUNNING, OptionalInt.empty())));
    assertEquals(new TaskTransition(LocalState.PREPARED, TaskState.ASSIGNED, "preparing", null),
        TaskStep.succeeded(TaskAction.PREPARE, observation(LocalState.FRESH, Wanted.RUNNING, OptionalInt.empty())));
    assertEquals(new TaskTransition(LocalState.RUNNING, TaskState.RUNNING, "started", null),
        TaskStep.succeeded(TaskAction.START, observation(LocalState.PREPARED, Wanted.RUNNING, OptionalInt.empty())));
    assertEquals(new TaskTransition(LocalState.ENDED, TaskState.REJECTED, "no executor \"docker\" on this node", null),
        TaskStep.succeeded(TaskAction.REJECT, new TaskObservation(Wanted.RUNNING, false, "docker", false,
            LocalState.NEW, false, OptionalInt.empty(), Duration.ZERO)));
    assertEquals(new TaskTransition(LocalState.ENDED, TaskState.SHUTDOWN, "shut down before it started", null),
        TaskStep.succeeded(TaskAction.CANCEL, observation(LocalState.PREPARED, Wanted.GONE, OptionalInt.empty())));
    assertEquals(TaskTransition.to(LocalState.STOPPING), TaskStep.succeeded(TaskAction.SHUTDOWN, running));
    assertEquals(TaskTransition.to(LocalState.STOPPING), TaskStep.succeeded(TaskAction.TERMINATE,
        observation(LocalState.STOPPING, Wanted.GONE, OptionalInt.empty())));
    assertEquals(new TaskTransition(LocalState.ENDED, TaskState.COMPLETE, "finished", 0),
        TaskStep.succeeded(TaskAction.REPORT_EXIT, observation(LocalState.RUNNING, Wanted.RUNNING, OptionalInt.of(0))));
    assertEquals(new TaskTransition(LocalState.ENDED, TaskState.FAILED, "task: non-zero exit (3)", 3),
        TaskStep.succeeded(TaskAction.REPORT_EXIT, observation(LocalState.RUNNING, Wanted.RUNNING, OptionalInt.of(3))));
    assertEquals(new TaskTransition(LocalState.ENDED, TaskState.SHUTDOWN, "shut down", 143),
        TaskStep.succeeded(TaskAction.REPORT_STOPPED, observation(LocalState.STOPPING, Wanted.GONE, OptionalInt.of(143))));
    TaskTransition abandoned = TaskStep.succeeded(TaskAction.ABANDON,
        observation(LocalState.STOPPING, Wanted.GONE, OptionalInt.empty()));
    assertEquals(LocalState.ENDED, abandoned.next());
    assertEquals(TaskState.SHUTDOWN, abandoned.report());
    assertTrue(abandoned.message().contains("after SIGKILL"), abandoned.message());
    assertEquals(TaskTransition.to(LocalState.REMOVED), TaskStep.succeeded(TaskAction.REMOVE,
        observation(LocalState.ENDED, Wanted.RUNNING, OptionalInt.empty())));
    assertEquals(TaskTransition.to(LocalState.PREPARED), TaskStep.succeeded(TaskAction.NONE,
        observation(LocalState.PREPARED, Wanted.RUNNING, OptionalInt.empty())));
    assertThrows(IllegalArgumentException.class, () -> TaskStep.succeeded(TaskAction.FORGET,
        observation(LocalState.REMOVED, Wanted.GONE, OptionalInt.empty())));
    assertThrows(IllegalArgumentException.class, () -> TaskStep.succeeded(TaskAction.REPORT_EXIT, running),
        "an exit reported without an exit status");
  }

  @Test
  void failedActionsRejectBeforeTheStartFailAfterItAndNeverStallAStop() {
    TaskObservation o = observation(LocalState.FRESH, Wanted.RUNNING, OptionalInt.empty());
    assertEquals(TaskTransition.to(LocalState.FRESH), TaskStep.failed(TaskAction.ADOPT, o, "nothing to adopt"));
    assertEquals(new TaskTransition(LocalState.ENDED, TaskState.REJECTED, "image x not found", null),
        TaskStep.failed(TaskAction.PREPARE, o, "image x not found"));
    assertEquals(new TaskTransition(LocalState.ENDED, TaskState.FAILED, "starting: no namespace", null),
        TaskStep.failed(TaskAction.START, o, "no namespace"));
    assertEquals(TaskTransition.to(LocalState.STOPPING), TaskStep.failed(TaskAction.SHUTDOWN, o, "EPERM"));
    assertEquals(TaskTransition.to(LocalState.STOPPING), TaskStep.failed(TaskAction.TERMINATE, o, "EPERM"));
    assertEquals(TaskTransition.to(LocalState.REMOVED), TaskStep.failed(TaskAction.REMOVE, o, "busy"));
    Set<TaskAction> cannotFail = EnumSet.of(TaskAction.NONE, TaskAction.REJECT, TaskAction.CANCEL,
        TaskAction.REPORT_EXIT, TaskAction.REPORT_STOPPED, TaskAction.ABANDON, TaskAction.FORGET);
    for (TaskAction a : cannotFail) {
      assertThrows(IllegalArgumentException.class, () -> TaskStep.failed(a, o, "x"), a.name());
    }
  }

  /** How the simulated task's program behaves. */
  private enum Program { RUNS_UNTIL_TERM, IGNORES_TERM, SURVIVES_KILL, EXITS_BY_ITSELF }

  /**
   * Runs the machine from every local state, for every wanted state, program behaviour and
   * choice of failing actions, with the data plane applied on every round and one second per
   * round: it settles (GONE: forgotten), never starts a task before preparing it and plumbing
   * it, never starts one again after its program ended, and never reports a state that goes
   * back in Swarm's order.
   */
  @Test
  void everyRunSettlesWithoutRestartsAndWithReportsThatOnlyMoveForward() {
    int runs = 0;
    for (LocalState start : LocalState.values()) {
      for (Wanted wanted : Wanted.values()) {
        for (Program program : Program.values()) {
          for (boolean known : List.of(true, false)) {
            for (boolean started : List.of(true, false)) {
              for (int failing = 0; failing < 1 << 6; failing++) {
                run(start, wanted, program, known, started, failing);
                runs++;
              }
            }
          }
        }
      }
    }
    assertEquals(7 * 3 * 4 * 2 * 2 * 64, runs);
  }

  private static final List<TaskAction> FALLIBLE = List.of(TaskAction.ADOPT, TaskAction.PREPARE, TaskAction.START,
      TaskAction.SHUTDOWN, TaskAction.TERMINATE, TaskAction.REMOVE);

  private static void run(LocalState start, Wanted wanted, Program program, boolean known, boolean started,
      int failing) {
    String what = start + " " + wanted + " " + program + " known=" + known + " started=" + started + " failing="
        + Integer.toBinaryString(failing);
    LocalState local = start;
    boolean prepared = start == LocalState.PREPARED;
    boolean plumbed = false;
    boolean runsHere = start == LocalState.RUNNING || start == LocalState.STOPPING;
    boolean ended = start == LocalState.ENDED || start == LocalState.REMOVED;
    boolean termSent = false;
    boolean killSent = false;
    int since = 0;
    TaskState lastReport = null;
    List<TaskAction> done = new ArrayList<>();
    for (int round = 0; round < 60; round++) {
      boolean exited = runsHere && (program == Program.EXITS_BY_ITSELF
          || termSent && program == Program.RUNS_UNTIL_TERM || killSent && program != Program.SURVIVES_KILL);
      TaskObservation o = new TaskObservation(wanted, started, "process", known, local, plumbed,
          exited ? OptionalInt.of(program == Program.EXITS_BY_ITSELF ? 0 : 143) : OptionalInt.empty(),
          Duration.ofSeconds(since));
      TaskAction a = TaskStep.next(o);
      done.add(a);
      switch (a) {
        case FORGET -> {
          assertEquals(Wanted.GONE, wanted, what + ": forgotten while listed: " + done);
          return;
        }
        case NONE -> {
          plumbed = prepared; // the data plane is applied between two rounds
          since++;
          continue;
        }
        case START -> {
          assertTrue(prepared && plumbed, what + ": started before it was prepared and plumbed: " + done);
          assertFalse(ended, what + ": started again after it ended: " + done);
        }
        case PREPARE, ADOPT -> assertFalse(ended, what + ": " + a + " after it ended: " + done);
        default -> { }
      }
      boolean fails = FALLIBLE.contains(a) && (failing & 1 << FALLIBLE.indexOf(a)) != 0;
      TaskTransition t = fails ? TaskStep.failed(a, o, "failed on purpose") : TaskStep.succeeded(a, o);
      if (!fails) {
        switch (a) {
          case PREPARE -> prepared = true;
          case START, ADOPT -> runsHere = true;
          case SHUTDOWN -> termSent = true;
          case TERMINATE -> killSent = true;
          default -> { }
        }
      }
      if (t.next() == LocalState.STOPPING && local != LocalState.STOPPING) {
        since = 0;
      }
      if (t.next() == local) {
        plumbed = prepared; // a step that changed nothing (a repeated SIGKILL) ends the round, as in the supervisor
        since++;
      }
      ended |= t.next() == LocalState.ENDED;
      if (t.report() != null) {
        assertTrue(lastReport == null || !lastReport.isTerminal() && t.report().ordinal() >= lastReport.ordinal(),
            what + ": reported " + t.report() + " after " + lastReport + ": " + done);
        lastReport = t.report();
      }
      local = t.next();
    }
    assertTrue(wanted != Wanted.GONE, what + ": not forgotten after 60 rounds: " + done);
    boolean runsAsWanted = local == LocalState.RUNNING && wanted == Wanted.RUNNING;
    assertTrue(runsAsWanted || local == LocalState.REMOVED, what + ": did not settle: " + local + " " + done);
  }

  private static TaskObservation observation(LocalState local, Wanted wanted, OptionalInt exit) {
    return new TaskObservation(wanted, false, "process", true, local, true, exit, Duration.ZERO);
  }

  @Test
  void aTaskNotStartedYetIsLeftToTheSync() {
    assertEquals(EnumSet.of(LocalState.NEW, LocalState.FRESH, LocalState.PREPARED),
        EnumSet.copyOf(List.of(LocalState.values()).stream().filter(LocalState::beforeStart).toList()));
    assertNull(TaskStep.succeeded(TaskAction.SHUTDOWN,
        observation(LocalState.RUNNING, Wanted.GONE, OptionalInt.empty())).report(), "a stop reports when it ends");
  }
}
