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
import java.util.concurrent.ThreadFactory;

/**
 * The one place whoami's transport is chosen, as the embedded DNS chooses its own
 * ({@code meshplane.dns.DnsTransport}): io_uring where Netty can use it on this kernel, else
 * epoll; neither is an error with Netty's reasons. The handlers never see which.
 */
record WhoamiTransport(String name, IoHandlerFactory ioHandlers, ChannelFactory<? extends ServerChannel> server) {

  static WhoamiTransport select() {
    if (IoUring.isAvailable()) {
      return new WhoamiTransport("io_uring", IoUringIoHandler.newFactory(), IoUringServerSocketChannel::new);
    }
    if (Epoll.isAvailable()) {
      return new WhoamiTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel::new);
    }
    throw new IllegalStateException("whoami: neither io_uring (" + IoUring.unavailabilityCause() + ") nor epoll ("
        + Epoll.unavailabilityCause() + ") is available", Epoll.unavailabilityCause());
  }

  EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
    return new MultiThreadIoEventLoopGroup(threads, threadFactory, ioHandlers);
  }
}
