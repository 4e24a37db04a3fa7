package meshplane.whoami;

import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;

/**
 * The one place whoami's transport is chosen, as the embedded DNS chooses its own
 * ({@code meshplane.dns.DnsTransport}): {@code auto} takes io_uring where Netty can use it on this
 * kernel, else epoll; {@code io_uring} or {@code epoll} forces one, refused with Netty's reason
 * when it cannot run. The handlers never see which.
 */
record WhoamiTransport(String name, IoHandlerFactory ioHandlers, ChannelFactory<? extends ServerChannel> server) {
  /** The system property that forces a transport: {@code auto} (the default), {@code io_uring} or {@code epoll}. */
  static final String PROPERTY = "meshplane.whoami.transport";

  static WhoamiTransport select(String wanted) {
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
          throw unavailable("epoll (io_uring is not either: " + IoUring.unavailabilityCause() + ")",
              Epoll.unavailabilityCause());
        }
        return epoll();
      default:
        throw new IllegalArgumentException("whoami: transport \"" + wanted + "\" (-D" + PROPERTY
            + ") must be auto, io_uring or epoll");
    }
  }

  private static WhoamiTransport ioUring() {
    return new WhoamiTransport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel::new);
  }

  private static WhoamiTransport epoll() {
    return new WhoamiTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel::new);
  }

  private static IllegalStateException unavailable(String transport, Throwable cause) {
    return new IllegalStateException("whoami: transport " + transport + " is not available: "
        + (cause == null ? "Netty gives no reason" : cause.toString()), cause);
  }

  EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlers);
  }
}
