package meshplane.cluster.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a task may use at most ({@code --limit-cpu}, {@code --limit-memory}, {@code --limit-pids}):
 * CPU in billionths of a core (docker's {@code NanoCPUs}: 0.5 cores is 500,000,000), memory in
 * bytes, and the number of processes and threads. Each is absent (null) when not limited, and then
 * left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ResourceLimits(Long nanoCpus, Long memoryBytes, Long pids) {
  public static final long NANOS_PER_CPU = 1_000_000_000L;

  /** Whether no limit is set. */
  public boolean none() {
    return nanoCpus == null && memoryBytes == null && pids == null;
  }

  /** These limits with {@code other}'s set fields replacing them (for {@code service update}). */
  public ResourceLimits with(ResourceLimits other) {
    if (other == null) {
      return this;
    }
    return new ResourceLimits(other.nanoCpus != null ? other.nanoCpus : nanoCpus,
        other.memoryBytes != null ? other.memoryBytes : memoryBytes, other.pids != null ? other.pids : pids);
  }
}
