package meshplane.whoami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What whoami does with connections, seen from plain sockets over loopback. */
@Tag("unit")
class WhoamiConnectionTest {
  private static final String GET = "GET /x HTTP/1.1\r\nHost: here\r\n\r\n";
  private final List<Whoami> servers = new ArrayList<>();

  private Whoami start(WhoamiLimits limits) {
    Whoami w = Whoami.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, limits);
    servers.add(w);
    return w;
  }

  private static WhoamiLimits limits(int maxConnections, int maxBody, Duration idle) {
    WhoamiLimits d = WhoamiLimits.DEFAULT;
    return new WhoamiLimits(maxConnections, d.maxInitialLine(), d.maxHeaderSize(), maxBody, idle);
  }

  @AfterEach
  void stop() {
    servers.forEach(Whoami::close);
  }

  @Test
  void theFirstReadHoldsStatusLineHeadersAndTheWholeBody() throws Exception {
    Whoami w = start(WhoamiLimits.DEFAULT);
    try (RawHttp c = RawHttp.connect(w.port())) {
      for (int i = 0; i < 3; i++) {
        c.send(GET);
        String got = new String(c.readOnce(), StandardCharsets.UTF_8);
        int end = got.indexOf("\r\n\r\n");
        assertTrue(got.startsWith("HTTP/1.1 200 OK\r\n") && end > 0, "status line and headers in one read: " + got);
        RawHttp.Response head = new RawHttp.Response(got.substring(0, end + 4), "");
        String body = got.substring(end + 4);
        assertEquals(Integer.parseInt(head.header("Content-Length").orElseThrow()),
            body.getBytes(StandardCharsets.UTF_8).length, "the whole body in the same read: " + got);
        assertTrue(body.contains("\nGET /x HTTP/1.1\nHost: here\n"), body);
        assertEquals("text/plain; charset=utf-8", head.header("Content-Type").orElseThrow());
        assertTrue(head.header("Date").orElseThrow().matches("\\w{3}, \\d{2} \\w{3} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"),
            head.head());
      }
    }
  }

  @Test
  void keepAliveServesManyRequestsOnOneConnection() throws Exception {
    Whoami w = start(WhoamiLimits.DEFAULT);
    try (RawHttp c = RawHttp.connect(w.port())) {
      String remote = "RemoteAddr: 127.0.0.1:" + c.socket.getLocalPort() + "\n";
      for (int i = 0; i < 5; i++) {
        c.send("GET /n" + i + " HTTP/1.1\r\nHost: here\r\n\r\n");
        RawHttp.Response r = c.read();
        assertEquals(200, r.status(), r.head());
        assertTrue(r.body().contains(remote) && r.body().contains("\nGET /n" + i + " HTTP/1.1\n"), r.body());
        assertTrue(r.header("Connection").isEmpty(), "HTTP/1.1 is keep-alive without saying so: " + r.head());
      }
      c.send("GET /a HTTP/1.1\r\nHost: here\r\n\r\nGET /b HTTP/1.1\r\nHost: here\r\n\r\n");
      assertTrue(c.read().body().contains("\nGET /a HTTP/1.1\n"), "pipelined requests answered in order");
      assertTrue(c.read().body().contains("\nGET /b HTTP/1.1\n"));
      c.send("HEAD /h HTTP/1.1\r\nHost: here\r\n\r\n" + GET);
      RawHttp.Response head = c.read();
      assertTrue(Integer.parseInt(head.header("Content-Length").orElseThrow()) > 0, head.head());
      // read() took the HEAD's Content-Length in bytes as its body: they must be the GET's answer
      assertTrue(head.body().startsWith("HTTP/1.1 200 OK\r\n"), "a HEAD answer has no body: " + head.body());
    }
  }

  @Test
  void http10AndConnectionCloseEndTheConnectionAfterTheAnswer() throws Exception {
    Whoami w = start(WhoamiLimits.DEFAULT);
    try (RawHttp c = RawHttp.connect(w.port())) {
      c.send("GET /old HTTP/1.0\r\n\r\n");
      RawHttp.Response r = c.read();
      assertEquals(200, r.status());
      assertEquals("close", r.header("Connection").orElseThrow());
      assertTrue(r.body().contains("\nGET /old HTTP/1.0\n"), r.body());
      assertTrue(c.endsWithoutMoreBytes());
    }
    try (RawHttp c = RawHttp.connect(w.port())) {
      c.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      assertEquals("keep-alive", c.read().header("Connection").orElseThrow());
      c.send("GET /again HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
      RawHttp.Response r = c.read();
      assertEquals("close", r.header("Connection").orElseThrow());
      assertTrue(r.body().contains("\nConnection: close\n"), "the request's headers as sent: " + r.body());
      assertTrue(c.endsWithoutMoreBytes());
    }
  }

  @Test
  void aBodyOverTheLimitIsRefusedWith413AndTheConnectionClosed() throws Exception {
    Whoami w = start(WhoamiLimits.DEFAULT);
    try (RawHttp c = RawHttp.connect(w.port())) {
      c.send("POST /big HTTP/1.1\r\nHost: h\r\nContent-Length: " + (64 * 1024 + 1) + "\r\n\r\n");
      assertEquals(413, c.read().status(), "refused from its Content-Length, before the body is sent");
      assertTrue(c.endsWithoutMoreBytes());
    }
    try (RawHttp c = RawHttp.connect(w.port())) {
      c.send("POST /exact HTTP/1.1\r\nHost: h\r\nContent-Length: " + 64 * 1024 + "\r\n\r\n" + "a".repeat(64 * 1024));
      assertEquals(200, c.read().status(), "64 KiB is allowed");
    }
    Whoami small = start(limits(16, 1000, Duration.ofSeconds(60)));
    try (RawHttp c = RawHttp.connect(small.port())) {
      String chunk = "258\r\n" + "b".repeat(600) + "\r\n";
      c.send("POST /chunks HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + "0\r\n\r\n");
      assertEquals(200, c.read().status(), "600 B of chunks within the limit");
      c.send("POST /chunks HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk);
      assertEquals(413, c.read().status(), "1200 B of chunks over the limit");
      assertTrue(c.endsWithoutMoreBytes());
    }
  }

  @Test
  void tooLongARequestLineOrTooLargeHeadersAreRefused() throws Exception {
    Whoami w = start(WhoamiLimits.DEFAULT);
    try (RawHttp c = RawHttp.connect(w.port())) {
      c.send("GET /" + "u".repeat(5000) + " HTTP/1.1\r\nHost: h\r\n\r\n");
      assertEquals(414, c.read().status());
      assertTrue(c.endsWithoutMoreBytes());
    }
    try (RawHttp c = RawHttp.connect(w.port())) {
      c.send("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "v".repeat(9000) + "\r\n\r\n");
      assertEquals(431, c.read().status());
      assertTrue(c.endsWithoutMoreBytes());
    }
    try (RawHttp c = RawHttp.connect(w.port())) {
      c.send("GET /a|b HTTP/1.1\r\nHost: h\r\n\r\n");
      assertEquals(400, c.read().status(), "a request target that is no URI");
      assertTrue(c.endsWithoutMoreBytes());
    }
  }

  @Test
  void expect100ContinueIsAnsweredBeforeTheBody() throws Exception {
    Whoami w = start(WhoamiLimits.DEFAULT);
    try (RawHttp c = RawHttp.connect(w.port())) {
      c.send("PUT /up HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      RawHttp.Response go = c.read();
      assertEquals(100, go.status(), go.head());
      c.send("hello");
      RawHttp.Response r = c.read();
      assertEquals(200, r.status());
      assertTrue(r.body().contains("\nExpect: 100-continue\n"), "the request's headers as sent: " + r.body());
    }
  }

  @Test
  void connectionsBeyondTheLimitAreAnswered503AndClosed() throws Exception {
    Whoami w = start(limits(2, 1000, Duration.ofSeconds(60)));
    RawHttp a = RawHttp.connect(w.port());
    try (RawHttp b = RawHttp.connect(w.port())) {
      for (RawHttp c : List.of(a, b)) {
        c.send(GET);
        assertEquals(200, c.read().status());
      }
      try (RawHttp third = RawHttp.connect(w.port())) {
        assertEquals(503, third.read().status());
        assertTrue(third.endsWithoutMoreBytes());
      }
      a.close();
      assertTrue(servedWithin(w.port(), Duration.ofSeconds(5)), "a closed connection frees its place");
      b.send(GET);
      assertEquals(200, b.read().status(), "the connections within the limit are served on");
    } finally {
      a.close();
    }
  }

  @Test
  void anIdleConnectionIsClosed() throws Exception {
    Whoami w = start(limits(16, 1000, Duration.ofMillis(200)));
    try (RawHttp c = RawHttp.connect(w.port())) {
      c.send(GET);
      assertEquals(200, c.read().status());
      assertTrue(c.endsWithoutMoreBytes(), "closed by the server well before the client's 5 s read timeout");
    }
  }

  /** A new connection gets 200, tried until {@code bound} (the server sees the other's close a bit later). */
  private static boolean servedWithin(int port, Duration bound) throws Exception {
    long deadline = System.nanoTime() + bound.toNanos();
    while (System.nanoTime() < deadline) {
      try (RawHttp c = RawHttp.connect(port)) {
        c.send(GET);
        if (c.read().status() == 200) {
          return true;
        }
      }
      Thread.sleep(20);
    }
    return false;
  }

  @Test
  void httpDateIsImfFixdate() {
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(java.time.Instant.ofEpochSecond(784111777)));
    assertFalse(new HttpDate().now().isEmpty());
  }
}
