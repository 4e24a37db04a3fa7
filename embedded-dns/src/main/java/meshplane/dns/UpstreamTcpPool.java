package meshplane.dns;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import meshplane.nettyio.NettyTransport;

/**
 * The forwarder's TCP connections to its upstreams, reused and pipelined (RFC 7766 6.2.1.1): at
 * most {@code perUpstream} to each upstream; a query goes on the least busy one, and a new one is
 * opened only while every open one has queries in flight and the bound is not reached. A
 * connection with nothing in flight for {@code idleMillis} is closed. Answers are matched to
 * queries by the forwarder (by id, as for UDP). Every method runs on the forwarder's loop, where
 * the connections are created, so they are born in the forwarding namespace.
 */
final class UpstreamTcpPool implements AutoCloseable {
  /** What the forwarder hears of its connections. */
  interface Events {
    /** An answer came on {@code from}. */
    void answer(Channel from, byte[] wire);

    /** {@code ch} closed (or never connected); {@code hadAnswered} says it had answered before. */
    void closed(Channel ch, boolean hadAnswered);
  }

  private static final class Connection {
    final Channel channel;
    final ChannelFuture connected;
    int inFlight;
    boolean answered;
    ScheduledFuture<?> idle;

    Connection(ChannelFuture connected) {
      this.channel = connected.channel();
      this.connected = connected;
    }
  }

  private final EventLoop loop;
  private final NettyTransport transport;
  private final int perUpstream;
  private final int connectTimeoutMillis;
  private final long idleMillis;
  private final DnsCounters counters;
  private final Events events;
  private final Map<InetSocketAddress, List<Connection>> byUpstream = new HashMap<>();
  private final Map<Channel, Connection> byChannel = new HashMap<>();

  UpstreamTcpPool(EventLoop loop, NettyTransport transport, int perUpstream, int connectTimeoutMillis, long idleMillis,
      DnsCounters counters, Events events) {
    this.loop = loop;
    this.transport = transport;
    this.perUpstream = perUpstream;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.idleMillis = idleMillis;
    this.counters = counters;
    this.events = events;
  }

  /** Sends {@code wire} (a whole query) to {@code to}; returns the connection its answer will come on. */
  Channel send(InetSocketAddress to, byte[] wire) {
    Connection c = pick(to);
    c.inFlight++;
    if (c.idle != null) {
      c.idle.cancel(false);
      c.idle = null;
    }
    c.connected.addListener(f -> {
      if (f.isSuccess()) {
        c.channel.writeAndFlush(TcpFraming.frame(c.channel.alloc(), wire));
      }
    });
    return c.channel;
  }

  /** A query sent on {@code ch} is over (answered, timed out, moved on); idle connections close later. */
  void done(Channel ch) {
    Connection c = byChannel.get(ch);
    if (c == null || --c.inFlight > 0) {
      return;
    }
    c.idle = loop.schedule(() -> {
      if (c.inFlight == 0) {
        c.channel.close();
      }
    }, idleMillis, TimeUnit.MILLISECONDS);
  }

  /** Open connections to {@code to}, for tests. */
  int open(InetSocketAddress to) {
    return byUpstream.getOrDefault(to, List.of()).size();
  }

  private Connection pick(InetSocketAddress to) {
    List<Connection> open = byUpstream.computeIfAbsent(to, k -> new ArrayList<>());
    Connection best = null;
    for (Connection c : open) {
      if (best == null || c.inFlight < best.inFlight) {
        best = c;
      }
    }
    if (best != null && (best.inFlight == 0 || open.size() >= perUpstream)) {
      return best;
    }
    return connect(to, open);
  }

  private Connection connect(InetSocketAddress to, List<Connection> open) {
    counters.upstreamTcpConnections.increment();
    Bootstrap b = new Bootstrap().group(loop).channelFactory(transport.socket())
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(TcpFraming.forUpstream(), new SimpleChannelInboundHandler<byte[]>() {
              @Override
              protected void channelRead0(ChannelHandlerContext ctx, byte[] answer) {
                Connection c = byChannel.get(ctx.channel());
                if (c != null) {
                  c.answered = true;
                }
                events.answer(ctx.channel(), answer);
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
              }
            });
          }
        });
    ChannelFuture f = b.connect(to);
    f.addListener(x -> {
      if (!x.isSuccess()) {
        f.channel().close(); // a refused connection: closing it tells the forwarder (below)
      }
    });
    Connection c = new Connection(f);
    open.add(c);
    byChannel.put(c.channel, c);
    f.channel().closeFuture().addListener(x -> {
      open.remove(c);
      byChannel.remove(c.channel);
      if (c.idle != null) {
        c.idle.cancel(false);
      }
      // later, so that a connection that failed at once is told after the query was put on it
      loop.execute(() -> events.closed(c.channel, c.answered));
    });
    return c;
  }

  @Override
  public void close() {
    new ArrayList<>(byChannel.keySet()).forEach(Channel::close);
  }
}
