package meshplane.whoami;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * One HTTP/1.1 response with a {@code text/plain; charset=utf-8} body, encoded into ONE buffer:
 * status line, {@code Date}, {@code Content-Type}, {@code Content-Length}, {@code Connection}
 * when it says something, the blank line and the body. Written as one buffer, a response leaves
 * in one {@code write} and, up to the MSS, one segment: no Nagle / delayed-ACK stall between a
 * header segment and a body segment (the JDK HttpServer's 40 ms per request on keep-alive).
 */
final class PlainTextResponse {
  static final String CONTENT_TYPE = "text/plain; charset=utf-8";
  /** Status line and headers but the date, the length and the connection, rounded up. */
  private static final int HEAD_ROOM = 160;

  private PlainTextResponse() {}

  /**
   * {@code withBody} false (HEAD) gives the headers of the body, {@code Content-Length} included,
   * and not the body; {@code connection} is the {@code Connection} header's value, or null for none.
   */
  static ByteBuf encode(ByteBufAllocator alloc, HttpResponseStatus status, String date, CharSequence body,
      boolean withBody, String connection) {
    int length = ByteBufUtil.utf8Bytes(body);
    ByteBuf buf = alloc.ioBuffer(HEAD_ROOM + (withBody ? length : 0));
    ByteBufUtil.writeAscii(buf, "HTTP/1.1 ");
    ByteBufUtil.writeAscii(buf, status.codeAsText());
    buf.writeByte(' ');
    ByteBufUtil.writeAscii(buf, status.reasonPhrase());
    ByteBufUtil.writeAscii(buf, "\r\nDate: ");
    ByteBufUtil.writeAscii(buf, date);
    ByteBufUtil.writeAscii(buf, "\r\nContent-Type: " + CONTENT_TYPE + "\r\nContent-Length: ");
    ByteBufUtil.writeAscii(buf, Integer.toString(length));
    if (connection != null) {
      ByteBufUtil.writeAscii(buf, "\r\nConnection: ");
      ByteBufUtil.writeAscii(buf, connection);
    }
    ByteBufUtil.writeAscii(buf, "\r\n\r\n");
    if (withBody) {
      ByteBufUtil.writeUtf8(buf, body);
    }
    return buf;
  }
}
