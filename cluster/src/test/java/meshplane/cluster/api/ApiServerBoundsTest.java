package meshplane.cluster.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The API server runs at most {@code workers} handlers at once with {@code queue} waiting, and answers the next one 503 at once. */
@Tag("unit")
class ApiServerBoundsTest {
  @Test
  void oneRequestMoreThanTheWorkersAndTheQueueIsAnswered503AndTheOthersStillComplete() throws Exception {
    ApiLimits limits = ApiLimits.DEFAULTS.withWorkers(4, 6);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch inside = new CountDownLatch(limits.workers());
    Router r = new Router();
    r.addSync("GET", "/v1/slow", q -> {
      inside.countDown();
      try {
        release.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Map.of("ok", true);
    });
    int held = limits.workers() + limits.queue();
    ExecutorService clients = Executors.newFixedThreadPool(held);
    TestPki pki = new TestPki("c");
    var creds = pki.credentials("m1", meshplane.pki.CertRole.MANAGER);
    ClientTls tls = ClientTls.of(creds, meshplane.pki.CertRole.MANAGER);
    try (ApiServer server = ApiServer.tcp(r, new InetSocketAddress("127.0.0.1", 0), new ServerTls(creds), limits)) {
      ApiTarget target = ApiTarget.parse("127.0.0.1:" + server.address().getPort(), "test");
      List<Future<?>> waiting = new ArrayList<>();
      for (int i = 0; i < held; i++) {
        waiting.add(clients.submit(() -> new ApiClient(target, tls, 2_000, 20_000).get("/v1/slow")));
      }
      assertTrue(inside.await(20, TimeUnit.SECONDS), "every worker is busy");
      Thread.sleep(1_000); // the queued ones arrive too
      ApiException busy = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class,
          () -> new ApiClient(target, tls, 2_000, 5_000).get("/v1/slow"));
      assertEquals(503, busy.status(), busy.getMessage());
      assertTrue(busy.error().contains("4 requests are being served and 6 are waiting"), busy.error());
      release.countDown();
      for (Future<?> f : waiting) {
        f.get(20, TimeUnit.SECONDS);
      }
    } finally {
      release.countDown();
      clients.shutdownNow();
    }
  }
}
