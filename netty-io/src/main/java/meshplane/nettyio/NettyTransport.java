package meshplane.nettyio;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * A chosen Netty transport: its event loops, its channel classes (UDP of either family and
 * IPv4-only, TCP server and client) and its spelling of the options that differ. Handlers and
 * codecs never see which one it is.
 */
public final class NettyTransport {
  private final String name;
  private final IoHandlerFactory ioHandlers;
  private final ChannelFactory<? extends Channel> datagram;
  private final ChannelFactory<? extends Channel> datagram4;
  private final ChannelFactory<? extends ServerChannel> server;
  private final ChannelFactory<? extends Channel> socket;
  private final ChannelOption<Integer> maxDatagramPayload;

  private NettyTransport(String name, IoHandlerFactory ioHandlers, ChannelFactory<? extends Channel> datagram,
      ChannelFactory<? extends Channel> datagram4, ChannelFactory<? extends ServerChannel> server,
      ChannelFactory<? extends Channel> socket, ChannelOption<Integer> maxDatagramPayload) {
    this.name = name;
    this.ioHandlers = ioHandlers;
    this.datagram = datagram;
    this.datagram4 = datagram4;
    this.server = server;
    this.socket = socket;
    this.maxDatagramPayload = maxDatagramPayload;
  }

  /**
   * The transport for {@code wanted}; {@code where} names the user of it in the refusal when a
   * forced transport (or, for {@code auto}, both) cannot run here.
   */
  public static NettyTransport select(TransportChoice wanted, String where) {
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
      default:
        if (IoUring.isAvailable()) {
          return ioUring();
        }
        if (!Epoll.isAvailable()) {
          throw unavailable(where, "epoll (io_uring is not either: " + IoUring.unavailabilityCause() + ")",
              Epoll.unavailabilityCause());
        }
        return epoll();
    }
  }

  /** Why {@code auto} does not get io_uring here, or null when it does. */
  public static Throwable whyNoIoUring() {
    return IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
  }

  private static NettyTransport ioUring() {
    return new NettyTransport("io_uring", IoUringIoHandler.newFactory(), IoUringDatagramChannel::new,
        () -> new IoUringDatagramChannel(SocketProtocolFamily.INET), IoUringServerSocketChannel::new,
        IoUringSocketChannel::new, IoUringChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE);
  }

  private static NettyTransport epoll() {
    return new NettyTransport("epoll", EpollIoHandler.newFactory(), EpollDatagramChannel::new,
        () -> new EpollDatagramChannel(SocketProtocolFamily.INET), EpollServerSocketChannel::new,
        EpollSocketChannel::new, EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE);
  }

  private static IllegalStateException unavailable(String where, String transport, Throwable cause) {
    return new IllegalStateException(where + ": transport " + transport + " is not available: "
        + (cause == null ? "Netty gives no reason" : cause.toString()), cause);
  }

  /** {@code io_uring} or {@code epoll}. */
  public String name() {
    return name;
  }

  public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlers);
  }

  /** UDP sockets of either family. */
  public ChannelFactory<? extends Channel> datagram() {
    return datagram;
  }

  /**
   * UDP sockets for {@code bind}: IPv4-only ones for an IPv4 address, which spare every datagram
   * the IPv4-mapped IPv6 sockaddr a dual-stack socket carries.
   */
  public ChannelFactory<? extends Channel> datagramFor(InetSocketAddress bind) {
    return bind.getAddress() instanceof java.net.Inet4Address ? datagram4 : datagram;
  }

  public ChannelFactory<? extends ServerChannel> server() {
    return server;
  }

  public ChannelFactory<? extends Channel> socket() {
    return socket;
  }

  /** The largest datagram one receive slot holds (recvmmsg / batched recvmsg). */
  public ChannelOption<Integer> maxDatagramPayload() {
    return maxDatagramPayload;
  }
}
