package meshplane.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import meshplane.cluster.model.LogOptions;
import meshplane.cluster.model.ResourceLimits;
import picocli.CommandLine.Option;

/**
 * The flags of {@code service create} and {@code service update} that bound a task, as docker's:
 * {@code --limit-cpu 0.5} (cores), {@code --limit-memory 64m}, {@code --limit-pids 100}, and
 * {@code --log-opt max-size=5m --log-opt max-file=2} (json-file's options). Their ranges are the
 * manager's to check (a 400 naming the field); a value that is no number or size is refused here.
 */
final class TaskLimitFlags {
  @Option(names = "--limit-cpu", paramLabel = "CPUS", converter = FlagConverters.NanoCpus.class, description = "At most this many cores, e.g. 0.5.")
  Long nanoCpus;
  @Option(names = "--limit-memory", paramLabel = "SIZE", converter = FlagConverters.Memory.class,
      description = "At most this much memory (no swap beyond it), e.g. 64m; past it the kernel kills the task (OOM).")
  Long memoryBytes;
  @Option(names = "--limit-pids", paramLabel = "N", description = "At most N processes and threads.") Long pids;
  @Option(names = "--log-opt", paramLabel = "max-size=SIZE|max-file=N", converter = FlagConverters.LogOpt.class,
      description = "How the task's log rotates (repeatable): max-size (default 10m), max-file (default 3).")
  List<LogOptions> logOpts = new ArrayList<>();

  /** The limits given, null when none. */
  ResourceLimits limits() {
    ResourceLimits l = new ResourceLimits(nanoCpus, memoryBytes, pids);
    return l.none() ? null : l;
  }

  /** The log options given, null when none; a later one replaces an earlier one of the same name. */
  LogOptions logOptions() {
    LogOptions o = new LogOptions(null, null);
    for (LogOptions x : logOpts) {
      o = o.with(x);
    }
    return o.maxSize() == null && o.maxFile() == null ? null : o;
  }

  /** {@code 0.5} -> 500,000,000 billionths of a core; at most 9 decimals, above 0. */
  static long nanoCpus(String s) {
    long n = ServiceFlags.cpuUnits(s, 9, "billionths of a core");
    if (n == 0) {
      throw new IllegalArgumentException("\"" + s + "\" must be a number of CPUs above 0: a limit of none is no limit");
    }
    return n;
  }

  /** {@code max-size=5m} or {@code max-file=2}. */
  static LogOptions logOpt(String s) {
    int eq = s == null ? -1 : s.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("\"" + s + "\" must be max-size=SIZE or max-file=N");
    }
    String key = s.substring(0, eq).trim().toLowerCase(Locale.ROOT);
    String value = s.substring(eq + 1).trim();
    return switch (key) {
      case "max-size" -> new LogOptions(ByteSizes.parse(value), null);
      case "max-file" -> {
        try {
          yield new LogOptions(null, Integer.parseInt(value));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("max-file \"" + value + "\" must be a whole number of files");
        }
      }
      default -> throw new IllegalArgumentException("\"" + key + "\" is no log option: the options are max-size and max-file");
    };
  }
}
