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
 * are answered as they complete. A connection silent for {@code tcpIdle} is closed (RFC 7766);
 * a packet that gets no answer (a response, no header) closes it too.
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
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, byte[] wire) {
    armIdle(ctx);
    RecordTable table = server.table().get();
    Reply r = server.queries().handle(wire, table, namespace, true);
    if (r instanceof Respond answer) {
      ctx.writeAndFlush(TcpFraming.frame(ctx.alloc(), answer.wire()));
    } else if (r instanceof Forward f) {
      Channel ch = ctx.channel();
      server.forwarder().forward(f, true, bytes -> ch.writeAndFlush(TcpFraming.frame(ch.alloc(), bytes)));
    } else {
      ctx.close();
    }
  }

  private void armIdle(ChannelHandlerContext ctx) {
    if (idle != null) {
      idle.cancel(false);
    }
    idle = ctx.executor().schedule(() -> {
      ctx.close();
    }, server.tcpIdleMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (idle != null) {
      idle.cancel(false);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    server.counters().dropped.increment();
    ctx.close();
  }
}
