package meshplane.cluster.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshplane.pki.CertRole;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What one API listener accepts ({@link ApiLimits}), played by raw clients on loopback. */
@Tag("unit")
class ApiServerLimitsTest {
  private final TestPki pki = new TestPki("c");
  private final meshplane.pki.LiveCredentials creds = pki.credentials("m1", CertRole.MANAGER);
  private final ClientTls tls = ClientTls.of(creds, CertRole.MANAGER);
  private final Router router = new Router();
  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeEach
  void routes() {
    router.addSync("GET", "/v1/ping", q -> Map.of("pong", true));
    router.addSync("POST", "/v1/echo", q -> Map.of("bytes", q.body().length));
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  private ApiServer server(ApiLimits limits) {
    ApiServer s = ApiServer.tcp(router, new InetSocketAddress("127.0.0.1", 0), new ServerTls(creds), limits);
    open.add(s);
    return s;
  }

  private Socket raw(ApiServer s, String from) throws Exception {
    Socket c = RawClient.tcp(s, from);
    open.add(c);
    return c;
  }

  @Test
  void aConnectionThatNeverShakesHandsIsClosedAfterTheFirstRequestTimeout() throws Exception {
    ApiServer s = server(ApiLimits.DEFAULTS.withFirstRequestSeconds(1));
    Socket silent = raw(s, "127.0.0.1");
    Socket halfHello = raw(s, "127.0.0.1");
    RawClient.send(halfHello, "\u0016\u0003\u0001\u0002\u0000"); // a TLS record header, its body never sent
    long t0 = System.nanoTime();
    assertTrue(RawClient.closedWithin(silent, 4_000), "a silent connection is closed");
    assertTrue(RawClient.closedWithin(halfHello, 4_000), "a handshake never finished is closed");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertTrue(ms < 3_000, "closed after about 1 s, not the 60 s idle timeout: " + ms + " ms");
  }

  @Test
  void aConnectionWithTlsButNoRequestIsClosedTooAndOneWithARequestStays() throws Exception {
    ApiServer s = server(ApiLimits.DEFAULTS.withFirstRequestSeconds(1));
    Socket quiet = RawClient.tls(s, tls);
    open.add(quiet);
    Socket busy = RawClient.tls(s, tls);
    open.add(busy);
    RawClient.send(busy, "GET /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(RawClient.readAll(busy, 1_000).contains("\"pong\":true"));
    assertTrue(RawClient.closedWithin(quiet, 4_000), "TLS done, no request: closed");
    assertFalse(RawClient.closedWithin(busy, 2_000), "after its first request the idle timeout (60 s) applies");
  }

  @Test
  void connectionsBeyondThePerAddressAndTotalCapsAreClosedAndCountedAndTheLocalSocketStillAnswers(
      @org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    ApiServer s = server(ApiLimits.DEFAULTS.withConnections(3, 5));
    ApiServer local = ApiServer.unix(router, dir.resolve("api.sock"));
    open.add(local);
    List<Socket> fromOne = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      fromOne.add(raw(s, "127.0.0.1"));
    }
    assertEquals(1, closed(fromOne), "of 4 from one address, one is closed (which one: the order the event loops took them)");
    List<Socket> more = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      more.add(raw(s, "127.0.0." + (2 + i % 2)));
    }
    assertEquals(1, closed(more), "beyond 5 in all, one is closed whatever its address");
    assertEquals(2, s.refusedConnections());
    assertEquals(5, s.openConnections());
    var reply = new ApiClient(ApiTarget.parse("unix://" + dir.resolve("api.sock"), "local"), null, 2_000, 2_000).get("/v1/ping");
    assertTrue(reply.get("pong").asBoolean(), "the local socket answers while TCP is full");
    fromOne.forEach(c -> {
      try {
        c.close();
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Thread.sleep(300);
    Socket again = raw(s, "127.0.0.1");
    assertFalse(RawClient.closedWithin(again, 300), "a closed connection frees its place");
  }

  private static int closed(List<Socket> sockets) throws Exception {
    int n = 0;
    for (Socket c : sockets) {
      n += RawClient.closedWithin(c, 500) ? 1 : 0;
    }
    return n;
  }

  @Test
  void newConnectionsFromOneAddressBeyondItsRateAreClosedAndTheNextSecondAdmitsMore() throws Exception {
    ApiServer s = server(ApiLimits.DEFAULTS.withNewConnectionsPerSecond(5));
    List<Socket> burst = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      burst.add(raw(s, "127.0.0.1"));
    }
    int closed = closed(burst);
    assertTrue(closed >= 5 && closed <= 6, "a bucket of 10 (twice the rate): " + closed + " of 16 closed");
    assertEquals(closed, s.refusedConnections());
    assertFalse(RawClient.closedWithin(raw(s, "127.0.0.2"), 300), "another address has its own bucket");
    Thread.sleep(1_100);
    assertFalse(RawClient.closedWithin(raw(s, "127.0.0.1"), 300), "a second later, 5 more are admitted");
  }

  @Test
  void aTenMegabyteBodyIsRefused413FromItsLengthBeforeItIsSent() throws Exception {
    ApiServer s = server(ApiLimits.DEFAULTS);
    Socket c = RawClient.tls(s, tls);
    open.add(c);
    RawClient.send(c, "POST /v1/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + (10 << 20) + "\r\n\r\n{\"a\":\"");
    String answer = RawClient.readAll(c, 2_000);
    assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
    assertTrue(answer.contains("limit of 1048576 bytes") && answer.contains("\"field\":\"body\""), answer);
  }

  @Test
  void aChunkedBodyPastTheLimitIsRefused413() throws Exception {
    ApiServer s = server(ApiLimits.DEFAULTS);
    Socket c = RawClient.tls(s, tls);
    open.add(c);
    RawClient.send(c, "POST /v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    String chunk = "x".repeat(64 << 10);
    StringBuilder answer = new StringBuilder();
    try {
      for (int i = 0; i < 40; i++) { // 2.5 MiB
        RawClient.send(c, Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
      }
    } catch (java.io.IOException closed) {
      // the server answered and closed mid-body
    }
    answer.append(RawClient.readAll(c, 2_000));
    assertTrue(answer.toString().startsWith("HTTP/1.1 413"), answer.substring(0, Math.min(200, answer.length())));
  }

  @Test
  void aLongRequestLineIs414AndLargeHeaders431AndGarbage400EachNamed() throws Exception {
    ApiServer s = server(ApiLimits.DEFAULTS);
    Socket line = RawClient.tls(s, tls);
    open.add(line);
    RawClient.send(line, "GET /v1/ping?" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
    String a = RawClient.readAll(line, 2_000);
    assertTrue(a.startsWith("HTTP/1.1 414") && a.contains("limit of 8192 bytes"), a);

    Socket headers = RawClient.tls(s, tls);
    open.add(headers);
    RawClient.send(headers, "GET /v1/ping HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
    String b = RawClient.readAll(headers, 2_000);
    assertTrue(b.startsWith("HTTP/1.1 431") && b.contains("limit of 16384 bytes"), b);

    Socket garbage = RawClient.tls(s, tls);
    open.add(garbage);
    RawClient.send(garbage, "\u0001\u0002 NOT HTTP \u0000\u0003\r\n\r\n");
    String g = RawClient.readAll(garbage, 2_000);
    assertTrue(g.startsWith("HTTP/1.1 400"), g);

    Socket escape = RawClient.tls(s, tls);
    open.add(escape);
    RawClient.send(escape, "GET /v1/ping?x=%zz HTTP/1.1\r\nHost: x\r\n\r\n");
    String e = RawClient.readAll(escape, 1_000);
    assertTrue(e.startsWith("HTTP/1.1 400") && e.contains("\"field\":\"query\""), e);
  }

  @Test
  void tlsGarbageClosesTheConnectionAndTheServerStillAnswers() throws Exception {
    ApiServer s = server(ApiLimits.DEFAULTS);
    String[] garbage = {"GET /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n", "\u0099\u0003\u0003\u0000\u0005\u00ff\u00ff\u00ff\u00ff\u00ff", "\u0000".repeat(600)};
    for (int i = 0; i < 20; i++) {
      Socket c = raw(s, "127.0.0.1");
      RawClient.send(c, garbage[i % garbage.length]);
      assertTrue(RawClient.closedWithin(c, 2_000), "closed after " + i % garbage.length);
    }
    Socket ok = RawClient.tls(s, tls);
    open.add(ok);
    RawClient.send(ok, "GET /v1/ping HTTP/1.1\r\nHost: x\r\n\r\n");
    assertTrue(RawClient.readAll(ok, 1_000).contains("\"pong\":true"));
  }

  @Test
  void theLocalSocketIsCreatedRootOnly(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    ApiServer local = ApiServer.unix(router, dir.resolve("api.sock"));
    open.add(local);
    assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dir.resolve("api.sock"))));
  }
}
