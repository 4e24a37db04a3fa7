package meshplane.bench;

/** A point in time a step must not pass (System.nanoTime based). */
record Deadline(long atNanos) {
  static Deadline in(long millis) {
    return new Deadline(System.nanoTime() + millis * 1_000_000L);
  }

  boolean passed() {
    return System.nanoTime() - atNanos >= 0;
  }

  long remainingMillis() {
    return Math.max(0, (atNanos - System.nanoTime()) / 1_000_000L);
  }
}
