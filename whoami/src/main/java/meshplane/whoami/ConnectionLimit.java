package meshplane.whoami;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most {@code max} open connections: one more is answered 503 and closed, and nothing of it
 * is read (auto-read is off before the pipeline's head would start reading) nor reaches the
 * handlers after this one. Shared by every connection of one server.
 */
@Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
  private final int max;
  private final HttpDate date;
  private final AtomicInteger open = new AtomicInteger();

  ConnectionLimit(int max, HttpDate date) {
    this.max = max;
    this.date = date;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (open.incrementAndGet() > max) {
      ctx.channel().config().setAutoRead(false);
      ctx.writeAndFlush(PlainTextResponse.encode(ctx.alloc(), HttpResponseStatus.SERVICE_UNAVAILABLE, date.now(),
          "whoami: " + max + " connections are open already\n", true, "close"))
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    open.decrementAndGet();
    ctx.fireChannelInactive();
  }
}
