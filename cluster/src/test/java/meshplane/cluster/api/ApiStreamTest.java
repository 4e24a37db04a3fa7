package meshplane.cluster.api;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import meshplane.pki.CertRole;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Streamed answers: a client that does not read stops the writer; one that leaves frees the writer at once. */
@Tag("unit")
class ApiStreamTest {
  private final TestPki pki = new TestPki("c");
  private final meshplane.pki.LiveCredentials creds = pki.credentials("m1", CertRole.MANAGER);
  private final ClientTls tls = ClientTls.of(creds, CertRole.MANAGER);

  @Test
  void aClientThatDoesNotReadHoldsTheWriterBackAndIsClosedAfterTheStall() throws Exception {
    AtomicLong written = new AtomicLong();
    CountDownLatch ended = new CountDownLatch(1);
    Router r = new Router();
    r.add("GET", "/v1/flood", q -> java.util.concurrent.CompletableFuture.completedFuture(
        new ApiResponse.Stream("text/plain", out -> {
          byte[] chunk = new byte[16 << 10];
          java.util.Arrays.fill(chunk, (byte) 'x');
          try {
            while (written.get() < (1L << 30)) { // 1 GiB: far more than any buffer
              out.write(chunk, 0, chunk.length);
              written.addAndGet(chunk.length);
            }
          } finally {
            ended.countDown();
          }
        })));
    try (ApiServer s = ApiServer.tcp(r, new InetSocketAddress("127.0.0.1", 0), new ServerTls(creds),
        ApiLimits.DEFAULTS.withStreams(4, 3))) {
      Socket c = RawClient.tls(s, tls);
      c.setReceiveBufferSize(64 << 10);
      RawClient.send(c, "GET /v1/flood HTTP/1.1\r\nHost: x\r\n\r\n");
      Thread.sleep(2_000);
      long held = written.get();
      System.out.println("written while the client read nothing for 2 s: " + held + " bytes");
      assertTrue(held < (16 << 20), "the writer waits for the client: " + held + " bytes written");
      assertTrue(ended.await(10, TimeUnit.SECONDS), "the stream ends once the client stalled 3 s");
      c.close();
    }
  }

  @Test
  void aFollowWhoseClientLeavesIsStoppedAtOnceNotAtItsNextLine() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch released = new CountDownLatch(1);
    Router r = new Router();
    r.add("GET", "/v1/follow", q -> java.util.concurrent.CompletableFuture.completedFuture(
        new ApiResponse.Stream("text/plain", out -> {
          out.write("first\n".getBytes());
          started.countDown();
          try {
            new CountDownLatch(1).await(60, TimeUnit.SECONDS); // a quiet task: no line for a minute
          } finally {
            released.countDown();
          }
        })));
    try (ApiServer s = ApiServer.tcp(r, new InetSocketAddress("127.0.0.1", 0), new ServerTls(creds))) {
      Socket c = RawClient.tls(s, tls);
      RawClient.send(c, "GET /v1/follow HTTP/1.1\r\nHost: x\r\n\r\n");
      assertTrue(started.await(5, TimeUnit.SECONDS));
      assertTrue(RawClient.readAll(c, 500).contains("first"));
      c.close();
      assertTrue(released.await(3, TimeUnit.SECONDS), "the follow's writer was let go when its client left");
    }
  }
}
