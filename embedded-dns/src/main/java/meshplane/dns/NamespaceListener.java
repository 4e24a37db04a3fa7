package meshplane.dns;

import meshplane.nettyio.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.RtnlHandle;

/**
 * One namespace's UDP and TCP sockets on the listen address (127.0.0.11:53). Both are created
 * on a thread inside the namespace, so they belong to it for their whole life; after that, the
 * shared event loops serve them from wherever they run.
 *
 * <p>127.0.0.11 needs no address of its own: the kernel treats all of 127.0.0.0/8 as local on
 * {@code lo} (its {@code local 127.0.0.0/8} route), so binding it only needs {@code lo} up, which
 * {@link #open} ensures. Docker likewise binds 127.0.0.11 without adding it (on a random port,
 * DNATed from 53); meshplane binds port 53 itself, so no NAT rule is needed.
 *
 * <p>Its TCP listener holds at most {@link DnsLimits#tcpPerNamespace} client connections, inside
 * the server's {@link DnsLimits#tcpTotal}; one more is closed as it is accepted ({@code tcpRefused}).
 */
final class NamespaceListener implements AutoCloseable {
  private final String namespace;
  private final Channel udp;
  private final Channel tcp;

  private NamespaceListener(String namespace, Channel udp, Channel tcp) {
    this.namespace = namespace;
    this.udp = udp;
    this.tcp = tcp;
  }

  /** Brings {@code lo} up in the named namespace and binds there; errors name the namespace and address. */
  static NamespaceListener open(String namespace, InetSocketAddress listen, NettyTransport transport,
      EventLoopGroup group, ServerContext server) {
    try (NetNamespace ns = NetNamespace.open(namespace)) {
      try (RtnlHandle h = RtnlHandle.open(ns)) {
        h.links().setUp("lo");
      }
      return ns.call(() -> bind(namespace, listen, transport, group, server));
    }
  }

  /** Binds in the calling thread's namespace; {@code scopeNamespace} says whose records it answers. */
  static NamespaceListener bindHere(String scopeNamespace, InetSocketAddress listen, NettyTransport transport,
      EventLoopGroup group, ServerContext server) throws Exception {
    return bind(scopeNamespace, listen, transport, group, server);
  }

  /**
   * Port 0 asks for any free port: UDP takes one and TCP must get the same, which a TCP socket of
   * someone else (a connection in TIME_WAIT on a busy host) may hold; then another port is tried.
   */
  private static final int ANY_PORT_ATTEMPTS = 8;

  private static NamespaceListener bind(String namespace, InetSocketAddress listen, NettyTransport transport,
      EventLoopGroup group, ServerContext server) throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return bindOnce(namespace, listen, transport, group, server);
      } catch (RuntimeException e) {
        boolean inUse = String.valueOf(e.getMessage()).contains("Address already in use")
            || (e.getCause() != null && String.valueOf(e.getCause().getMessage()).contains("Address already in use"));
        if (listen.getPort() != 0 || !inUse || attempt >= ANY_PORT_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static NamespaceListener bindOnce(String namespace, InetSocketAddress listen, NettyTransport transport,
      EventLoopGroup group, ServerContext server) throws Exception {
    String where = "embedded DNS in netns " + namespace + " on " + listen;
    Channel udp = attempt(where + " (udp)", () -> new Bootstrap().group(group).channelFactory(transport.datagramFor(listen))
        .option(ChannelOption.SO_RCVBUF, 4 << 20)
        .option(ChannelOption.SO_SNDBUF, 4 << 20)
        .option(ChannelOption.RECVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(QueryHandler.MAX_UDP))
        .handler(new UdpDnsHandler(namespace, server))
        .bind(listen).sync().channel());
    DnsLimits limits = server.limits();
    TcpConnectionCap cap = new TcpConnectionCap(limits.tcpPerNamespace(), server.tcpTotal());
    try {
      Channel tcp = attempt(where + " (tcp)", () -> new ServerBootstrap().group(group).channelFactory(transport.server())
          .option(ChannelOption.SO_BACKLOG, 256)
          .option(ChannelOption.SO_REUSEADDR, true)
          // the kernel holds about as much unread again (it doubles SO_SNDBUF), not megabytes
          .childOption(ChannelOption.SO_SNDBUF, limits.writeHighWaterBytes())
          .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
              new WriteBufferWaterMark(limits.writeHighWaterBytes() / 2, limits.writeHighWaterBytes()))
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              if (!cap.tryTake()) {
                server.counters().tcpRefused.increment();
                ch.close();
                return;
              }
              ch.closeFuture().addListener(f -> cap.giveBack());
              ch.pipeline().addLast(TcpFraming.forClient(limits.inFlightPerConnection()), new TcpDnsHandler(namespace, server));
            }
          })
          .bind(((InetSocketAddress) udp.localAddress())).sync().channel());
      return new NamespaceListener(namespace, udp, tcp);
    } catch (RuntimeException e) {
      udp.close().awaitUninterruptibly(5000);
      throw e;
    }
  }

  private static Channel attempt(String where, Callable<Channel> bind) {
    try {
      return bind.call();
    } catch (Exception e) {
      throw new IllegalStateException(where + ": bind: " + e.getMessage(), e);
    }
  }

  String namespace() {
    return namespace;
  }

  /** The UDP socket's address (the TCP one has the same), for a listener bound on port 0. */
  InetSocketAddress address() {
    return (InetSocketAddress) udp.localAddress();
  }

  @Override
  public void close() {
    udp.close().awaitUninterruptibly(5000);
    tcp.close().awaitUninterruptibly(5000);
  }
}
