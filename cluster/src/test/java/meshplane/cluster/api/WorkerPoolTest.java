package meshplane.cluster.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The API's pools grow only as work needs, up to their size, then queue, then refuse. */
@Tag("unit")
class WorkerPoolTest {
  /** A task that holds its thread until {@code release}. */
  private static Runnable waitFor(CountDownLatch release) {
    return () -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Test
  void aTrickleOfTasksIsServedByOneThread() throws Exception {
    ThreadPoolExecutor p = WorkerPool.create("t", 64, 256);
    try {
      for (int i = 0; i < 200; i++) {
        p.submit(() -> { }).get(5, TimeUnit.SECONDS);
        Thread.sleep(1);
      }
      assertTrue(p.getPoolSize() <= 2, "threads for one task at a time: " + p.getPoolSize());
    } finally {
      p.shutdownNow();
    }
  }

  @Test
  void busyThreadsGrowThePoolToItsSizeThenTasksWaitThenAreRefused() throws Exception {
    ThreadPoolExecutor p = WorkerPool.create("t", 4, 3);
    CountDownLatch release = new CountDownLatch(1);
    try {
      for (int i = 0; i < 7; i++) {
        p.execute(waitFor(release));
      }
      assertEquals(4, p.getPoolSize());
      assertEquals(3, p.getQueue().size());
      assertThrows(RejectedExecutionException.class, () -> p.execute(() -> { }));
    } finally {
      release.countDown();
      p.shutdownNow();
    }
  }

  @Test
  void withoutAQueueTheOneTooManyIsRefusedAtOnce() {
    ThreadPoolExecutor p = WorkerPool.create("t", 2, 0);
    CountDownLatch release = new CountDownLatch(1);
    try {
      for (int i = 0; i < 2; i++) {
        p.execute(waitFor(release));
      }
      assertThrows(RejectedExecutionException.class, () -> p.execute(() -> { }));
    } finally {
      release.countDown();
      p.shutdownNow();
    }
  }
}
