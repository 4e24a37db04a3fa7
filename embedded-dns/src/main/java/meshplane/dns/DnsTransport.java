package meshplane.dns;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringDatagramChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * The one place the DNS server's transport is chosen: io_uring where Netty can use it on this
 * kernel, else epoll ({@code auto}); {@code io_uring} or {@code epoll} forces one, and is refused
 * with Netty's reason when it cannot run. Handlers and codec never see which.
 */
public final class DnsTransport {
  private final String name;
  private final IoHandlerFactory ioHandlers;
  private final ChannelFactory<? extends Channel> datagram;
  private final ChannelFactory<? extends Channel> datagram4;
  private final ChannelFactory<? extends ServerChannel> server;
  private final ChannelFactory<? extends Channel> socket;

  private DnsTransport(String name, IoHandlerFactory ioHandlers, ChannelFactory<? extends Channel> datagram,
      ChannelFactory<? extends Channel> datagram4, ChannelFactory<? extends ServerChannel> server,
      ChannelFactory<? extends Channel> socket) {
    this.name = name;
    this.ioHandlers = ioHandlers;
    this.datagram = datagram;
    this.datagram4 = datagram4;
    this.server = server;
    this.socket = socket;
  }

  /** {@code auto}, {@code io_uring} or {@code epoll}. */
  public static DnsTransport select(String wanted) {
    String w = wanted == null ? "auto" : wanted.toLowerCase(Locale.ROOT);
    switch (w) {
      case "io_uring":
        if (!IoUring.isAvailable()) {
          throw unavailable("io_uring", IoUring.unavailabilityCause());
        }
        return ioUring();
      case "epoll":
        if (!Epoll.isAvailable()) {
          throw unavailable("epoll", Epoll.unavailabilityCause());
        }
        return epoll();
      case "auto":
        if (IoUring.isAvailable()) {
          return ioUring();
        }
        if (!Epoll.isAvailable()) {
          throw unavailable("epoll (io_uring is not either: " + IoUring.unavailabilityCause() + ")", Epoll.unavailabilityCause());
        }
        return epoll();
      default:
        throw new IllegalArgumentException("DNS transport \"" + wanted + "\" must be auto, io_uring or epoll");
    }
  }

  private static DnsTransport ioUring() {
    return new DnsTransport("io_uring", IoUringIoHandler.newFactory(), IoUringDatagramChannel::new,
        () -> new IoUringDatagramChannel(SocketProtocolFamily.INET), IoUringServerSocketChannel::new, IoUringSocketChannel::new);
  }

  private static DnsTransport epoll() {
    return new DnsTransport("epoll", EpollIoHandler.newFactory(), EpollDatagramChannel::new,
        () -> new EpollDatagramChannel(SocketProtocolFamily.INET), EpollServerSocketChannel::new, EpollSocketChannel::new);
  }

  private static IllegalStateException unavailable(String transport, Throwable cause) {
    return new IllegalStateException("embedded DNS: transport " + transport + " is not available: "
        + (cause == null ? "Netty gives no reason" : cause.toString()), cause);
  }

  public String name() {
    return name;
  }

  EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlers);
  }

  /** UDP sockets of either family (upstreams may be IPv6). */
  ChannelFactory<? extends Channel> datagram() {
    return datagram;
  }

  /**
   * UDP sockets for {@code bind}: IPv4-only ones for an IPv4 address (127.0.0.11), which spare
   * every reply the IPv4-mapped IPv6 sockaddr a dual-stack socket writes (the profile's
   * top hot spot on the send path).
   */
  ChannelFactory<? extends Channel> datagramFor(java.net.InetSocketAddress bind) {
    return bind.getAddress() instanceof java.net.Inet4Address ? datagram4 : datagram;
  }

  ChannelFactory<? extends ServerChannel> server() {
    return server;
  }

  ChannelFactory<? extends Channel> socket() {
    return socket;
  }
}
