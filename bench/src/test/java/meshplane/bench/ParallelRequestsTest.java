package meshplane.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class ParallelRequestsTest {
  @Test
  void everyItemIsSentOnceByAtMostTheGivenNumberOfClients() {
    List<Integer> items = IntStream.range(0, 200).boxed().toList();
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ParallelRequests.Result r = ParallelRequests.run(items, 4, 10_000, i -> {
      most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      assertTrue(seen.add(i), "item " + i + " sent twice");
      Sleep.millis(1);
      inFlight.decrementAndGet();
    });
    assertEquals(200, r.done());
    assertEquals(0, r.failed());
    assertTrue(r.complete());
    assertEquals(200, seen.size());
    assertTrue(most.get() <= 4 && most.get() >= 2, "clients in flight at once: " + most.get());
    assertEquals(200, r.latencies().count());
    assertTrue(r.perSecond() > 0 && r.lastAnswerNanos() > 0);
  }

  @Test
  void failuresAreCountedWithTheFirstMessageAndTheOthersGoOn() {
    ParallelRequests.Result r = ParallelRequests.run(List.of(1, 2, 3, 4), 1, 10_000, i -> {
      if (i % 2 == 0) {
        throw new IllegalStateException("even " + i);
      }
    });
    assertEquals(2, r.done());
    assertEquals(2, r.failed());
    assertEquals("even 2", r.firstError());
    assertTrue(r.text().contains("2 failed"), r.text());
  }

  @Test
  void theTimeLimitStopsNewRequests() {
    List<Integer> items = IntStream.range(0, 1000).boxed().toList();
    ParallelRequests.Result r = ParallelRequests.run(items, 2, 100, i -> Sleep.millis(20));
    assertTrue(r.done() < 100, "done " + r.done());
    assertTrue(r.text().contains("not sent (time limit)"), r.text());
  }
}
