package meshplane.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code clients} threads working through a list of requests, each taking the next one when its
 * last has been answered, until the list is done or {@code limitMillis} has passed (a request
 * started is always waited for). Each request's latency is kept; a failed one is counted with the
 * first error's message, and the others go on.
 */
final class ParallelRequests {
  /**
   * What a run did: {@code elapsedNanos} from the start to the last answer, {@code lastAnswerNanos}
   * the {@link System#nanoTime} of that answer.
   */
  record Result(int asked, int done, int failed, long elapsedNanos, long lastAnswerNanos, Latencies latencies, String firstError) {
    double perSecond() {
      return elapsedNanos <= 0 ? 0 : done / (elapsedNanos / 1e9);
    }

    boolean complete() {
      return done == asked && failed == 0;
    }

    /** {@code 1,000 in 1.92 s: 520.8/s, p50 ... (errors: 0)}. */
    String text() {
      String s = String.format("%,d in %.2f s: %.1f/s, %s", done, elapsedNanos / 1e9, perSecond(), latencies.text());
      if (failed > 0) {
        s += String.format("; %d failed, first: %s", failed, firstError);
      }
      if (done + failed < asked) {
        s += String.format("; %d not sent (time limit)", asked - done - failed);
      }
      return s;
    }
  }

  private ParallelRequests() {}

  static <T> Result run(List<T> items, int clients, long limitMillis, Consumer<T> request) {
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    AtomicLong last = new AtomicLong();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    CountDownLatch go = new CountDownLatch(1);
    Deadline deadline = Deadline.in(limitMillis);
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          return;
        }
        for (int i = next.getAndIncrement(); i < items.size() && !deadline.passed(); i = next.getAndIncrement()) {
          long t0 = System.nanoTime();
          try {
            request.accept(items.get(i));
            long t1 = System.nanoTime();
            latencies.add(t1 - t0);
            last.accumulateAndGet(t1, Math::max);
          } catch (RuntimeException e) {
            failed.incrementAndGet();
            firstError.compareAndSet(null, e.getMessage());
          }
        }
      }, "bench-client-" + c);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    long start = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while " + clients + " clients were sending requests", e);
      }
    }
    long end = last.get() == 0 ? System.nanoTime() : last.get();
    return new Result(items.size(), latencies.size(), failed.get(), end - start, last.get(), Latencies.ofNanos(latencies),
        firstError.get());
  }
}
