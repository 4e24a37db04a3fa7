package meshplane.bench;

import java.util.Arrays;
import java.util.List;

/**
 * Request latencies in milliseconds, sorted, with percentiles by nearest rank: p(q) is the
 * smallest sample that at least q of the samples do not exceed. Of 50 samples, p99 is the
 * slowest; of 100, the second slowest.
 */
record Latencies(double[] sortedMs) {
  Latencies {
    sortedMs = sortedMs.clone();
    Arrays.sort(sortedMs);
  }

  static Latencies ofNanos(List<Long> nanos) {
    return new Latencies(nanos.stream().mapToDouble(n -> n / 1e6).toArray());
  }

  int count() {
    return sortedMs.length;
  }

  /** The nearest-rank percentile, {@code q} in (0, 1]; NaN when there is no sample. */
  double percentile(double q) {
    if (q <= 0 || q > 1) {
      throw new IllegalArgumentException("percentile " + q + " must be in (0, 1]");
    }
    if (sortedMs.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * sortedMs.length);
    return sortedMs[Math.max(1, rank) - 1];
  }

  double p50() {
    return percentile(0.50);
  }

  double p99() {
    return percentile(0.99);
  }

  double max() {
    return sortedMs.length == 0 ? Double.NaN : sortedMs[sortedMs.length - 1];
  }

  /** {@code p50 1.23 ms, p99 4.56 ms, max 7.89 ms (50)}. */
  String text() {
    return String.format("p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d)", p50(), p99(), max(), count());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Latencies l && Arrays.equals(sortedMs, l.sortedMs);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sortedMs);
  }

  @Override
  public String toString() {
    return "Latencies" + Arrays.toString(sortedMs);
  }
}
