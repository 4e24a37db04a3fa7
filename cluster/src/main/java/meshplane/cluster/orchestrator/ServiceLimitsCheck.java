package meshplane.cluster.orchestrator;

import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.LogOptions;
import meshplane.cluster.model.ResourceLimits;
import meshplane.cluster.model.ServiceSpec;

/**
 * The ranges of a spec's resource limits and log options; a value out of range is an
 * {@link InvalidRequestException} naming the field ({@code limits.memoryBytes},
 * {@code logOptions.maxFile}, ...) and the range. The bounds are docker's where it has one: CPU
 * from 0.01 cores (the smallest CFS quota of a 100 ms period is 1 ms), memory from 6 MiB, pids from
 * 1 (to the kernel's PID_MAX_LIMIT), at least one log file.
 */
final class ServiceLimitsCheck {
  static final long MIN_NANO_CPUS = ResourceLimits.NANOS_PER_CPU / 100;
  static final long MAX_NANO_CPUS = 1024 * ResourceLimits.NANOS_PER_CPU;
  static final long MIN_MEMORY = 6L << 20;
  static final long MAX_MEMORY = 64L << 40;
  static final long MAX_PIDS = 4_194_304;
  static final long MIN_LOG_SIZE = 1L << 10;
  static final long MAX_LOG_SIZE = 1L << 40;
  static final int MAX_LOG_FILES = 100;

  private ServiceLimitsCheck() {}

  static void check(ServiceSpec spec) {
    ResourceLimits l = spec.limits();
    if (l != null) {
      range("limits.nanoCpus", l.nanoCpus(), MIN_NANO_CPUS, MAX_NANO_CPUS, "billionths of a core: 0.01 to 1024 cores");
      range("limits.memoryBytes", l.memoryBytes(), MIN_MEMORY, MAX_MEMORY, "bytes: 6 MiB to 64 TiB");
      range("limits.pids", l.pids(), 1, MAX_PIDS, "processes and threads: 1 to " + MAX_PIDS);
      if (l.memoryBytes() != null && spec.memory() > l.memoryBytes()) {
        throw new InvalidRequestException("memory", "the reservation (" + spec.memory()
            + " bytes) must not exceed limits.memoryBytes (" + l.memoryBytes() + ")");
      }
      if (l.nanoCpus() != null && spec.cpus() * 1_000_000L > l.nanoCpus()) {
        throw new InvalidRequestException("cpus", "the reservation (" + spec.cpus()
            + " millicores) must not exceed limits.nanoCpus (" + l.nanoCpus() + " billionths of a core)");
      }
    }
    LogOptions o = spec.logOptions();
    if (o != null) {
      range("logOptions.maxSize", o.maxSize(), MIN_LOG_SIZE, MAX_LOG_SIZE, "bytes: 1 KiB to 1 TiB");
      range("logOptions.maxFile", o.maxFile() == null ? null : (long) o.maxFile(), 1, MAX_LOG_FILES,
          "files kept: 1 to " + MAX_LOG_FILES);
    }
  }

  private static void range(String field, Long value, long min, long max, String rule) {
    if (value != null && (value < min || value > max)) {
      throw new InvalidRequestException(field, value + " is out of range (" + rule + ")");
    }
  }
}
