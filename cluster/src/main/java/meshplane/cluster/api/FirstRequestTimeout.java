package meshplane.cluster.api;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose first whole request has not come within the limit from its
 * accept: a TLS handshake never finished, a request line never ended, a body sent a byte at a
 * time. It stands after the aggregator and leaves the pipeline with the first request; the idle
 * timeout ({@link ApiLimits#idleSeconds}) takes over from there.
 */
final class FirstRequestTimeout extends ChannelInboundHandlerAdapter {
  private final int seconds;
  private ScheduledFuture<?> timer;

  FirstRequestTimeout(int seconds) {
    this.seconds = seconds;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    timer = ctx.executor().schedule(() -> {
      ctx.close();
    }, seconds, TimeUnit.SECONDS);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest) {
      timer.cancel(false);
      ctx.pipeline().remove(this);
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    timer.cancel(false);
    ctx.fireChannelInactive();
  }
}
