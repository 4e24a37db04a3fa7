package meshplane.bench;

/** Thread.sleep for the benchmark's polling loops: an interrupt ends the run with an error that says so. */
final class Sleep {
  private Sleep() {}

  static void millis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
