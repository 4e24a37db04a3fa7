package meshplane.whoami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequestDecoder;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The request handler on an EmbeddedChannel: what it writes, write by write. */
@Tag("unit")
class RequestHandlerTest {
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();

  private EmbeddedChannel channel(String name) {
    EmbeddedChannel ch = new EmbeddedChannel() {
      @Override
      protected SocketAddress remoteAddress0() {
        return new InetSocketAddress("10.0.0.5", 40312);
      }
    };
    ch.pipeline().addLast(new HttpRequestDecoder(),
        new RequestHandler(name, 1000, new HostViewCache(), new HttpDate(), new RequestLog(logged)));
    return ch;
  }

  @Test
  void eachResponseIsOneBufferWithHeadersAndTheWholeBody() {
    EmbeddedChannel ch = channel("blue");
    ch.writeInbound(Unpooled.copiedBuffer("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /health HTTP/1.1\r\nHost: h\r\n\r\n",
        StandardCharsets.US_ASCII));

    String first = text(ch.readOutbound());
    String second = text(ch.readOutbound());
    assertNull(ch.readOutbound(), "two requests, two writes");
    String body = bodyOf(first);
    assertTrue(body.startsWith("Name: blue\nHostname: "), body);
    assertTrue(body.contains("\nRemoteAddr: 10.0.0.5:40312\nGET /a HTTP/1.1\nHost: h\n"), body);
    assertEquals("ok\n", bodyOf(second));
    assertTrue(ch.isOpen(), "keep-alive");
    assertTrue(logged.toString(StandardCharsets.UTF_8).matches(
        "\\S+Z 10\\.0\\.0\\.5 GET /a HTTP/1\\.1 200\n\\S+Z 10\\.0\\.0\\.5 GET /health HTTP/1\\.1 200\n"), logged.toString());
    ch.finishAndReleaseAll();
  }

  @Test
  void aBodyIsReadAndDroppedBeforeTheAnswer() {
    EmbeddedChannel ch = channel(null);
    ch.writeInbound(Unpooled.copiedBuffer("POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n12345",
        StandardCharsets.US_ASCII));
    assertNull(ch.readOutbound(), "no answer before the whole body");
    ch.writeInbound(Unpooled.copiedBuffer("67890", StandardCharsets.US_ASCII));
    String response = text(ch.readOutbound());
    assertTrue(response.startsWith("HTTP/1.1 200 OK\r\n"), response);
    assertTrue(bodyOf(response).endsWith("\nPOST /f HTTP/1.1\nHost: h\nContent-Length: 10\n"), response);
    assertNull(ch.readOutbound());
    ch.finishAndReleaseAll();
  }

  @Test
  void aRefusalIsOneBufferAndCloses() {
    EmbeddedChannel ch = channel(null);
    ch.writeInbound(Unpooled.copiedBuffer("POST /f HTTP/1.1\r\nHost: h\r\nContent-Length: 1001\r\n\r\n",
        StandardCharsets.US_ASCII));
    String response = text(ch.readOutbound());
    assertTrue(response.startsWith("HTTP/1.1 413 Request Entity Too Large\r\n"), response);
    assertTrue(response.contains("\r\nConnection: close\r\n"), response);
    assertNull(ch.readOutbound());
    assertFalse(ch.isOpen(), "closed after the refusal");
    assertTrue(logged.toString(StandardCharsets.UTF_8).endsWith(" 10.0.0.5 POST /f HTTP/1.1 413\n"), logged.toString());
    ch.finishAndReleaseAll();
  }

  private static String text(Object written) {
    ByteBuf b = (ByteBuf) written;
    try {
      return b.toString(StandardCharsets.UTF_8);
    } finally {
      b.release();
    }
  }

  /** The body, checked against the response's Content-Length. */
  private static String bodyOf(String response) {
    int end = response.indexOf("\r\n\r\n");
    String head = response.substring(0, end);
    String body = response.substring(end + 4);
    String length = head.lines().filter(l -> l.startsWith("Content-Length: ")).findFirst().orElseThrow().substring(16);
    assertEquals(Integer.parseInt(length), body.getBytes(StandardCharsets.UTF_8).length, response);
    return body;
  }
}
