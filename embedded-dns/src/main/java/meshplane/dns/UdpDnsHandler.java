package meshplane.dns;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import meshplane.dns.Reply.Forward;
import meshplane.dns.Reply.Respond;

/**
 * DNS over UDP for one namespace's listener: each datagram to {@link QueryHandler}, answers
 * written back to the sender and flushed once per read batch. The scope is the namespace's, read
 * from the current table on every query, so a reconcile that adds a network to a task changes
 * its answers at once.
 */
@ChannelHandler.Sharable
final class UdpDnsHandler extends SimpleChannelInboundHandler<DatagramPacket> {
  private final String namespace;
  private final ServerContext server;

  UdpDnsHandler(String namespace, ServerContext server) {
    this.namespace = namespace;
    this.server = server;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
    byte[] wire = ByteBufUtil.getBytes(packet.content());
    RecordTable table = server.table().get();
    Reply r = server.queries().handle(wire, table, namespace, false);
    InetSocketAddress client = packet.sender();
    if (r instanceof Respond answer) {
      ctx.write(new DatagramPacket(Unpooled.wrappedBuffer(answer.wire()), client));
    } else if (r instanceof Forward f) {
      Channel ch = ctx.channel();
      server.forwarder().forward(namespace, f, false, bytes -> ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), client)));
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    ctx.flush();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // One bad datagram (or a send error to a client that went away) must not stop the listener.
    server.counters().dropped.increment();
  }
}
