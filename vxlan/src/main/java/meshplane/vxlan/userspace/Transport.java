package meshplane.vxlan.userspace;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.util.concurrent.DefaultThreadFactory;
import meshplane.nettyio.NettyTransport;
import meshplane.nettyio.TransportChoice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VTEP's use of the transport chosen by {@link NettyTransport} (io_uring or epoll): its event
 * loop, its datagram channel and the receive options. Both read up to
 * {@value #RECV_BATCH} datagrams per receive call ({@code recvmmsg} for epoll, linked
 * {@code recvmsg}s in one ring submission for io_uring) into one buffer with a slot of
 * {@value #MAX_DATAGRAM} bytes each: not only the largest datagram of a 9000-byte underlay fits,
 * but also a GSO super-datagram a kernel VTEP sends over a veth underlay (see
 * {@link TcpSegmentation}), which must not be truncated.
 */
final class Transport {
  static final int MAX_DATAGRAM = 65536;
  static final int RECV_BATCH = 8;
  static final int SOCKET_BUFFER = 4 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

  private final NettyTransport netty;

  private Transport(NettyTransport netty) {
    this.netty = netty;
  }

  /**
   * The transport for {@code wanted}; a forced transport Netty cannot use is refused with Netty's
   * reason. {@code where} names the VTEP in messages.
   */
  static Transport select(TransportChoice wanted, String where) {
    if (wanted == TransportChoice.AUTO && NettyTransport.whyNoIoUring() != null) {
      LOG.info("{}: io_uring is not available ({}), trying epoll", where, NettyTransport.whyNoIoUring().toString());
    }
    return new Transport(NettyTransport.select(wanted, where));
  }

  String name() {
    return netty.name();
  }

  /** One event-loop thread: one socket, and the TAP readers are threads of their own. */
  EventLoopGroup newEventLoopGroup(String threadName) {
    return netty.newGroup(1, new DefaultThreadFactory(threadName, true));
  }

  /** A bootstrap for the VTEP's datagram channel on {@code group}, options set. */
  Bootstrap bootstrap(EventLoopGroup group) {
    return new Bootstrap()
        .group(group)
        .channelFactory(netty.datagram())
        .option(netty.maxDatagramPayload(), MAX_DATAGRAM)
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECV_BATCH))
        .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
        .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
        // A TAP batch (64 frames of up to ~9 KB) fits under the high mark, so only a socket that
        // cannot drain makes the channel unwritable.
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 2 << 20));
  }
}
