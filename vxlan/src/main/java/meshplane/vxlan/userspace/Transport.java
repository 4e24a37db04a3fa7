package meshplane.vxlan.userspace;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place the transport is chosen: io_uring or epoll, each with its event loop, its
 * datagram channel class and its spelling of the options. Both read up to
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

  private final String name;
  private final IoHandlerFactory ioHandlers;
  private final ChannelFactory<? extends Channel> channels;
  private final ChannelOption<Integer> maxDatagramPayload;

  private Transport(String name, IoHandlerFactory ioHandlers, ChannelFactory<? extends Channel> channels,
      ChannelOption<Integer> maxDatagramPayload) {
    this.name = name;
    this.ioHandlers = ioHandlers;
    this.channels = channels;
    this.maxDatagramPayload = maxDatagramPayload;
  }

  /**
   * The transport for {@code wanted}; a forced transport Netty cannot use is refused with Netty's
   * reason. {@code where} names the VTEP in messages.
   */
  static Transport select(VtepTransport wanted, String where) {
    switch (wanted) {
      case IO_URING:
        if (!IoUring.isAvailable()) {
          throw unavailable(where, "io_uring", IoUring.unavailabilityCause());
        }
        return ioUring();
      case EPOLL:
        if (!Epoll.isAvailable()) {
          throw unavailable(where, "epoll", Epoll.unavailabilityCause());
        }
        return epoll();
      case AUTO:
        if (IoUring.isAvailable()) {
          return ioUring();
        }
        LOG.info("{}: io_uring is not available ({}), trying epoll", where, IoUring.unavailabilityCause().toString());
        if (!Epoll.isAvailable()) {
          throw unavailable(where, "epoll (io_uring is not either)", Epoll.unavailabilityCause());
        }
        return epoll();
      default:
        throw new IllegalArgumentException(where + ": unknown transport " + wanted);
    }
  }

  private static Transport ioUring() {
    return new Transport("io_uring", IoUringIoHandler.newFactory(), IoUringDatagramChannel::new,
        IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE);
  }

  private static Transport epoll() {
    return new Transport("epoll", EpollIoHandler.newFactory(), EpollDatagramChannel::new,
        EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE);
  }

  private static IllegalStateException unavailable(String where, String transport, Throwable cause) {
    return new IllegalStateException(where + ": transport " + transport + " is not available: "
        + (cause == null ? "Netty gives no reason" : cause.toString()), cause);
  }

  String name() {
    return name;
  }

  /** One event-loop thread: one socket, and the TAP readers are threads of their own. */
  EventLoopGroup newEventLoopGroup(String threadName) {
    return new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(threadName, true), ioHandlers);
  }

  /** A bootstrap for the VTEP's datagram channel on {@code group}, options set. */
  Bootstrap bootstrap(EventLoopGroup group) {
    return new Bootstrap()
        .group(group)
        .channelFactory(channels)
        .option(maxDatagramPayload, MAX_DATAGRAM)
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM * RECV_BATCH))
        .option(ChannelOption.SO_RCVBUF, SOCKET_BUFFER)
        .option(ChannelOption.SO_SNDBUF, SOCKET_BUFFER)
        // A TAP batch (64 frames of up to ~9 KB) fits under the high mark, so only a socket that
        // cannot drain makes the channel unwritable.
        .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 2 << 20));
  }
}
