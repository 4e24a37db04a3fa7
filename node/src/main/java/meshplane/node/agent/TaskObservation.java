package meshplane.node.agent;

import java.time.Duration;
import java.util.OptionalInt;

/**
 * What the agent knows of one task when it takes a step: what its assignment wants, whether the
 * cluster has seen it started ({@code STARTING} or {@code RUNNING}: after an agent restart, it
 * may still run), the executor it names and whether this node has one of that name, the local
 * state, whether the data plane has plumbed it since it was prepared, its exit status once its
 * program ended (empty while it runs or before it started), and how long ago it was asked to
 * stop.
 */
record TaskObservation(Wanted wanted, boolean startedBefore, String executor, boolean executorKnown,
    LocalState local, boolean plumbed, OptionalInt exit, Duration sinceShutdown) {
  TaskObservation {
    exit = exit == null ? OptionalInt.empty() : exit;
    sinceShutdown = sinceShutdown == null ? Duration.ZERO : sinceShutdown;
  }
}
