package meshplane.cluster.api;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A JSON answer written on a connection; an error is {@code {"error", "field"}}. Kept alive or closed after it. */
final class JsonAnswer {
  private JsonAnswer() {}

  static ChannelFuture error(ChannelHandlerContext ctx, int status, String message, String field, boolean keepAlive) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", message);
    if (field != null) {
      m.put("field", field);
    }
    return write(ctx, status, m, keepAlive);
  }

  static ChannelFuture write(ChannelHandlerContext ctx, int status, Object body, boolean keepAlive) {
    byte[] bytes;
    try {
      bytes = ApiJson.MAPPER.writeValueAsBytes(body);
    } catch (IOException e) {
      status = 500;
      bytes = ("{\"error\":\"cannot encode the answer: " + e.getMessage().replace('"', '\'') + "\"}").getBytes();
    }
    FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(bytes));
    resp.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    ctx.channel().attr(ApiServer.BUSY).set(false); // answered: idle from now on, as far as the idle closer goes
    if (keepAlive) {
      resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      return ctx.writeAndFlush(resp);
    }
    resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ChannelFuture f = ctx.writeAndFlush(resp);
    f.addListener(ChannelFutureListener.CLOSE);
    return f;
  }
}
