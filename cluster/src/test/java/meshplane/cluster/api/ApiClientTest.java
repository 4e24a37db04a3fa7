package meshplane.cluster.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The client's HTTP against a real HTTP server on 127.0.0.1 (JDK's HttpServer): the wire format only. */
@Tag("unit")
class ApiClientTest {
  HttpServer server;
  ApiClient client;
  final AtomicReference<String> seenHead = new AtomicReference<>();

  @BeforeEach
  void start() throws IOException {
    TestPki pki = new TestPki("c");
    var serverCreds = pki.credentials("m1", meshplane.pki.CertRole.MANAGER);
    com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(serverCreds.sslContext()) {
      @Override
      public void configure(com.sun.net.httpserver.HttpsParameters p) {
        p.setSSLParameters(meshplane.pki.NodeCredentials.serverParameters());
      }
    });
    server = https;
    server.createContext("/v1/echo", x -> {
      seenHead.set(x.getRequestMethod() + " " + x.getRequestURI() + " " + x.getRequestHeaders().getFirst("Content-Type"));
      byte[] in = x.getRequestBody().readAllBytes();
      String body = "{\"method\":\"" + x.getRequestMethod() + "\",\"got\":" + (in.length == 0 ? "null" : new String(in, StandardCharsets.UTF_8)) + ",\"extra\":1}";
      send(x, 200, body);
    });
    server.createContext("/v1/port", x -> send(x, 200, "{\"port\":" + x.getRemoteAddress().getPort() + "}"));
    server.createContext("/v1/missing", x -> send(x, 404, "{\"error\":\"no such service: web\",\"field\":\"name\"}"));
    server.createContext("/v1/bad", x -> send(x, 400, "{\"error\":\"replicas: -1 must be 0 or more\",\"field\":\"replicas\"}"));
    server.createContext("/v1/plain-error", x -> send(x, 500, "boom"));
    server.createContext("/v1/empty", x -> {
      x.sendResponseHeaders(200, -1);
      x.close();
    });
    server.createContext("/v1/logs", x -> {
      x.getResponseHeaders().set("Content-Type", "text/plain");
      x.sendResponseHeaders(200, 0); // chunked
      try (OutputStream o = x.getResponseBody()) {
        for (int i = 1; i <= 3; i++) {
          o.write(("web.1@node1    | line " + i + " é\n").getBytes(StandardCharsets.UTF_8));
          o.flush();
        }
      }
    });
    server.start();
    client = pki.client(new ApiTarget("127.0.0.1", server.getAddress().getPort(), null), "c1", meshplane.pki.CertRole.CLIENT);
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    x.sendResponseHeaders(status, b.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(b);
    }
  }

  record Spec(String name, int replicas) {}

  @Test
  void requestsOneAfterAnotherShareOneKeptAliveConnection() {
    int first = client.get("/v1/port").path("port").asInt();
    for (int i = 0; i < 5; i++) {
      assertEquals(first, client.get("/v1/port").path("port").asInt(), "the same connection (one TLS handshake)");
    }
    // another client identity is another connection
    ApiClient other = new TestPki("c").client(client.target(), "c2", meshplane.pki.CertRole.CLIENT);
    assertTrue(assertThrows(ApiException.class, () -> other.get("/v1/port")).getMessage().contains("TLS"),
        "another CA's client never rides this one's connection");
  }

  @Test
  void postSendsJsonAndReadsTheJsonAnswer() {
    JsonNode a = client.post("/v1/echo", new Spec("web", 3));
    assertEquals("POST", a.get("method").asText());
    assertEquals("web", a.get("got").get("name").asText());
    assertEquals(3, a.get("got").get("replicas").asInt());
    assertEquals("POST /v1/echo application/json", seenHead.get());
  }

  @Test
  void getAndDeleteSendNoBody() {
    assertEquals("GET", client.get("/v1/echo?x=1").get("method").asText());
    assertTrue(client.get("/v1/echo").get("got").isNull());
    assertEquals("DELETE", client.delete("/v1/echo").get("method").asText());
    assertTrue(seenHead.get().startsWith("DELETE /v1/echo"), seenHead.get());
  }

  @Test
  void anEmptyAnswerIsJsonNull() {
    assertTrue(client.post("/v1/empty", Map.of("force", true)).isNull());
  }

  @Test
  void errorBodiesBecomeApiExceptionsWithStatusErrorAndField() {
    ApiException e = assertThrows(ApiException.class, () -> client.get("/v1/missing"));
    assertEquals(404, e.status());
    assertEquals("no such service: web", e.getMessage());
    assertEquals("name", e.field());
    ApiException bad = assertThrows(ApiException.class, () -> client.post("/v1/bad", Map.of("replicas", -1)));
    assertEquals(400, bad.status());
    assertEquals("replicas", bad.field());
  }

  @Test
  void aNonJsonErrorKeepsStatusAndText() {
    ApiException e = assertThrows(ApiException.class, () -> client.get("/v1/plain-error"));
    assertEquals(500, e.status());
    assertNull(e.field());
    assertTrue(e.getMessage().contains("HTTP 500") && e.getMessage().contains("boom"), e.getMessage());
  }

  @Test
  void streamCopiesAChunkedBodyUntilItEnds() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    client.stream("/v1/logs?follow=true&tail=all", out);
    assertEquals("web.1@node1    | line 1 é\nweb.1@node1    | line 2 é\nweb.1@node1    | line 3 é\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void streamOfAnErrorIsAnApiException() {
    ApiException e = assertThrows(ApiException.class, () -> client.stream("/v1/missing", new ByteArrayOutputStream()));
    assertEquals(404, e.status());
  }

  @Test
  void aBodyWithoutLengthIsReadUntilTheServerCloses() throws Exception {
    java.nio.file.Path sock = java.nio.file.Files.createTempDirectory("mpt-api-client").resolve("api.sock");
    try (var ss = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      ss.bind(java.net.UnixDomainSocketAddress.of(sock));
      Thread t = new Thread(() -> {
        try (var ch = ss.accept()) {
          ch.read(java.nio.ByteBuffer.allocate(4096)); // the request head (small)
          OutputStream o = java.nio.channels.Channels.newOutputStream(ch);
          o.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"a\":".getBytes(StandardCharsets.ISO_8859_1));
          o.flush();
          o.write("[1,2]}".getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException ignored) {
          // the assertion below fails instead
        }
      });
      t.start();
      JsonNode a = new ApiClient(ApiTarget.unix(sock)).get("/v1/info");
      t.join(5_000);
      assertEquals(2, a.get("a").size());
    } finally {
      java.nio.file.Files.deleteIfExists(sock);
      java.nio.file.Files.deleteIfExists(sock.getParent());
    }
  }

  @Test
  void aRefusedConnectionNamesTheAddressAndWhatToDo() throws IOException {
    int port;
    try (ServerSocket ss = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      port = ss.getLocalPort();
    }
    ApiClient dead = new TestPki("c").client(new ApiTarget("127.0.0.1", port, null), "c1", meshplane.pki.CertRole.CLIENT);
    ApiException e = assertThrows(ApiException.class, () -> dead.get("/v1/info"));
    assertEquals(0, e.status());
    assertTrue(e.getMessage().contains("cannot reach the meshplane API at 127.0.0.1:" + port), e.getMessage());
    assertTrue(e.getMessage().contains("is a node daemon running? meshctl lab up starts them"), e.getMessage());
  }
}
