package meshplane.whoami;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;

/**
 * One connection's requests, after {@code HttpRequestDecoder}: {@code GET /health} is answered
 * {@code ok}, any other request with its {@link WhoamiAnswer}, each as one buffer
 * ({@link PlainTextResponse}) once its body has been read and dropped. Responses are written as
 * they are made and flushed at the end of each read, so pipelined requests leave together.
 * Keep-alive as HTTP/1.1 and 1.0 say; {@code Expect: 100-continue} is answered before the body.
 *
 * <p>Refused, each answered and then closed: a request the decoder could not take (414 line too
 * long, 431 headers too large, 400 otherwise, an unparsable URI too), a body over the limit (413,
 * from its Content-Length before it is sent, or once the chunks read pass it). An idle connection
 * is closed. One instance per connection; it runs on that connection's event loop only.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {
  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final String name;
  private final int maxBody;
  private final HostViewCache self;
  private final HttpDate date;
  private final RequestLog log;
  /** The request whose body is being read, else null. */
  private HttpRequest request;
  private boolean health;
  private long bodyBytes;
  private boolean closing;

  RequestHandler(String name, int maxBody, HostViewCache self, HttpDate date, RequestLog log) {
    this.name = name;
    this.maxBody = maxBody;
    this.self = self;
    this.date = date;
    this.log = log;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (closing) {
        return;
      }
      if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
        refuse(ctx, statusOf(o.decoderResult()), msg instanceof HttpRequest r ? r : request);
        return;
      }
      if (msg instanceof HttpRequest r) {
        head(ctx, r);
      }
      if (!closing && request != null && msg instanceof HttpContent c) {
        body(ctx, c);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void head(ChannelHandlerContext ctx, HttpRequest r) {
    request = r;
    bodyBytes = 0;
    if (HttpUtil.getContentLength(r, -1L) > maxBody) {
      refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, r);
      return;
    }
    try {
      health = HttpMethod.GET.equals(r.method()) && "/health".equals(new URI(r.uri()).getPath());
    } catch (URISyntaxException e) {
      refuse(ctx, HttpResponseStatus.BAD_REQUEST, r);
      return;
    }
    if (HttpUtil.is100ContinueExpected(r)) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE));
    }
  }

  private void body(ChannelHandlerContext ctx, HttpContent c) {
    bodyBytes += c.content().readableBytes();
    if (bodyBytes > maxBody) {
      refuse(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, request);
      return;
    }
    if (c instanceof LastHttpContent) {
      answer(ctx);
    }
  }

  private void answer(ChannelHandlerContext ctx) {
    HttpRequest r = request;
    request = null;
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    boolean keepAlive = HttpUtil.isKeepAlive(r);
    String body = health ? "ok\n" : WhoamiAnswer.of(name, self.get(), r, remote).text();
    String connection = !keepAlive ? "close" : r.protocolVersion().isKeepAliveDefault() ? null : "keep-alive";
    ByteBuf response = PlainTextResponse.encode(ctx.alloc(), HttpResponseStatus.OK, date.now(), body,
        !HttpMethod.HEAD.equals(r.method()), connection);
    log.request(remote.getAddress(), r.method().name(), r.uri(), r.protocolVersion().text(), 200);
    if (!keepAlive) {
      closing = true;
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.write(response);
    if (!ctx.channel().isWritable()) {
      // the client does not read its answers: stop reading its requests until it does
      ctx.flush();
      ctx.channel().config().setAutoRead(false);
    }
  }

  private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, HttpRequest r) {
    closing = true;
    request = null;
    ctx.channel().config().setAutoRead(false);
    InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
    if (r != null) {
      log.request(remote.getAddress(), r.method().name(), r.uri(), r.protocolVersion().text(), status.code());
      log.flush();
    }
    ctx.writeAndFlush(PlainTextResponse.encode(ctx.alloc(), status, date.now(),
        status.code() + " " + status.reasonPhrase() + "\n", true, "close")).addListener(ChannelFutureListener.CLOSE);
  }

  static HttpResponseStatus statusOf(DecoderResult failed) {
    Throwable cause = failed.cause();
    if (cause instanceof TooLongHttpLineException) {
      return HttpResponseStatus.REQUEST_URI_TOO_LONG;
    }
    if (cause instanceof TooLongHttpHeaderException) {
      return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    }
    return HttpResponseStatus.BAD_REQUEST;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
    log.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!closing && ctx.channel().isWritable()) {
      ctx.channel().config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(event);
  }

  /** A reset or a broken pipe ends the connection; nothing to tell anyone. */
  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
