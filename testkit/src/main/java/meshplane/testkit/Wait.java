package meshplane.testkit;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Waiting in a test for what the code under test does in the background: bounded, then a failure naming it. */
public final class Wait {
  private static final long LIMIT_SECONDS = 30;
  private static final long POLL_MILLIS = 50;

  private Wait() {}

  /** Returns once {@code condition} holds; fails with {@code "not within 30 s: " + what} otherwise. */
  public static void until(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIMIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + LIMIT_SECONDS + " s: " + what);
      }
      Thread.sleep(POLL_MILLIS);
    }
  }
}
