package meshplane.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, and their percentiles (nearest rank) in milliseconds. */
final class Latencies {
  private final long[] nanos;

  Latencies(long[] nanos) {
    this.nanos = nanos.clone();
    Arrays.sort(this.nanos);
  }

  int count() {
    return nanos.length;
  }

  /** The {@code p}-th percentile (0-100) by nearest rank, in ms. */
  double percentileMs(double p) {
    if (nanos.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * nanos.length);
    return nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))] / 1e6;
  }
}
