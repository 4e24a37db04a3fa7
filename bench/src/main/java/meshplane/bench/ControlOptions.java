package meshplane.bench;

import java.util.List;
import java.util.TreeSet;

/**
 * What one run of scripts/bench-control.sh measures, from its flags. {@code services} (N, 1,000
 * by default) sets every count: create latency is measured at N/100, N/10 and N services present
 * (10, 100, 1,000), the bulk set has N services of 2 replicas, the daemons are sampled at
 * max(1, N/200) and 3N/10 of those services (10 and 600 tasks), and the assignment is weighed at
 * max(that, N/100) and N services (10 and 1,000). A smaller N is a quick trial of the benchmark
 * itself, not a figure to compare.
 *
 * @param services N above
 * @param window creates timed at each level (50)
 * @param clients concurrent API clients for the writes and the bulk creates (16)
 * @param writes creates of the writes figure (1,000), bounded in time too
 * @param rounds rounds of wrk, whoami and nginx alternating (3)
 * @param seconds seconds of each wrk run (5)
 * @param deadlineMinutes the whole run's hard limit (20)
 */
record ControlOptions(int services, int window, int clients, int writes, int rounds, int seconds, int deadlineMinutes) {
  static final ControlOptions DEFAULT = new ControlOptions(1000, 50, 16, 1000, 3, 5, 20);
  static final String USAGE = "usage: ControlBench [--services N] [--window W] [--clients C] [--writes K] [--rounds R]"
      + " [--seconds S] [--deadline MINUTES]  (defaults 1000, 50, 16, 1000, 3, 5, 20)";

  ControlOptions {
    check("--services", services, 10, 5000);
    check("--window", window, 1, 1000);
    check("--clients", clients, 1, 64);
    check("--writes", writes, 1, 10_000);
    check("--rounds", rounds, 1, 20);
    check("--seconds", seconds, 1, 60);
    check("--deadline", deadlineMinutes, 1, 120);
  }

  private static void check(String flag, int v, int min, int max) {
    if (v < min || v > max) {
      throw new IllegalArgumentException(flag + " " + v + " must be between " + min + " and " + max);
    }
  }

  static ControlOptions parse(String[] args) {
    ControlOptions o = DEFAULT;
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value; " + USAGE);
      }
      int v;
      try {
        v = Integer.parseInt(args[i + 1]);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(flag + " \"" + args[i + 1] + "\" is not a number; " + USAGE);
      }
      o = switch (flag) {
        case "--services" -> new ControlOptions(v, o.window, o.clients, o.writes, o.rounds, o.seconds, o.deadlineMinutes);
        case "--window" -> new ControlOptions(o.services, v, o.clients, o.writes, o.rounds, o.seconds, o.deadlineMinutes);
        case "--clients" -> new ControlOptions(o.services, o.window, v, o.writes, o.rounds, o.seconds, o.deadlineMinutes);
        case "--writes" -> new ControlOptions(o.services, o.window, o.clients, v, o.rounds, o.seconds, o.deadlineMinutes);
        case "--rounds" -> new ControlOptions(o.services, o.window, o.clients, o.writes, v, o.seconds, o.deadlineMinutes);
        case "--seconds" -> new ControlOptions(o.services, o.window, o.clients, o.writes, o.rounds, v, o.deadlineMinutes);
        case "--deadline" -> new ControlOptions(o.services, o.window, o.clients, o.writes, o.rounds, o.seconds, v);
        default -> throw new IllegalArgumentException("unknown flag " + flag + "; " + USAGE);
      };
    }
    return o;
  }

  /** The numbers of services present at which a window of creates is timed: N/100, N/10, N, ascending. */
  List<Integer> latencyLevels() {
    TreeSet<Integer> levels = new TreeSet<>(List.of(Math.max(1, services / 100), Math.max(1, services / 10), services));
    return List.copyOf(levels);
  }

  /** Bulk services present at the daemons' first sample (5 of 2 replicas: 10 tasks). */
  int firstFootprintServices() {
    return Math.max(1, services / 200);
  }

  /** Bulk services present at the daemons' second sample (300: 600 tasks). */
  int secondFootprintServices() {
    return Math.max(firstFootprintServices() + 1, services * 3 / 10);
  }

  /** Bulk services present when the assignment is first weighed (10). */
  int firstAssignmentServices() {
    return Math.max(firstFootprintServices(), services / 100);
  }
}
