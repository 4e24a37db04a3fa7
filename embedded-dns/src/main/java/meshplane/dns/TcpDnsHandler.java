package meshplane.dns;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import meshplane.dns.Reply.Forward;
import meshplane.dns.Reply.Respond;

/**
 * DNS over TCP on one client connection (after {@link TcpFraming}): queries may be pipelined and
 * are answered as they complete, local ones at once and forwarded ones when upstream answers, so
 * answers may come out of order (RFC 7766 7). After writing each answer it tells the framing
 * ({@link TcpFraming#ANSWERED}), which bounds the queries in flight. A connection with no whole
 * query read for {@code tcpIdle} is closed (RFC 7766 6.2.3); a packet that gets no answer (a
 * response, no header) closes it too.
 */
final class TcpDnsHandler extends SimpleChannelInboundHandler<byte[]> {
  private final String namespace;
  private final ServerContext server;
  private ScheduledFuture<?> idle;

  TcpDnsHandler(String namespace, ServerContext server) {
    this.namespace = namespace;
    this.server = server;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    armIdle(ctx);
    ctx.fireChannelActive();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, byte[] wire) {
    armIdle(ctx);
    RecordTable table = server.table().get();
    Reply r = server.queries().handle(wire, table, namespace, true);
    if (r instanceof Respond answer) {
      answer(ctx.channel(), answer.wire());
    } else if (r instanceof Forward f) {
      Channel ch = ctx.channel();
      server.forwarder().forward(namespace, f, true, bytes -> ch.eventLoop().execute(() -> answer(ch, bytes)));
    } else {
      ctx.close();
    }
  }

  /** Writes one answer and opens the framing's window by one; on the channel's loop. */
  private static void answer(Channel ch, byte[] wire) {
    if (!ch.isActive()) {
      return;
    }
    ch.writeAndFlush(TcpFraming.frame(ch.alloc(), wire));
    ch.pipeline().fireUserEventTriggered(TcpFraming.ANSWERED);
  }

  private void armIdle(ChannelHandlerContext ctx) {
    if (idle != null) {
      idle.cancel(false);
    }
    idle = ctx.executor().schedule(() -> {
      server.counters().tcpIdleClosed.increment();
      ctx.close();
    }, server.limits().tcpIdle().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (idle != null) {
      idle.cancel(false);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    server.counters().dropped.increment();
    ctx.close();
  }
}
