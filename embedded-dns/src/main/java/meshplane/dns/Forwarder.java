package meshplane.dns;

import meshplane.nettyio.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;

/**
 * Forwards the questions that are not local to the node's upstream resolvers.
 *
 * <p>All of its state lives on one event-loop thread, which lives in the forwarding namespace
 * (the node's), so every socket it opens is born there. A query goes out with an id of our own
 * (the client's is put back on the answer), to the upstream that answered last; after
 * {@code upstreamTimeout} without a usable answer, or at once on SERVFAIL, REFUSED or a refused
 * connection, the next upstream gets it; when every upstream has failed the client gets
 * SERVFAIL. A client that asked over TCP is forwarded over TCP; over UDP, the client's own
 * query (and so its EDNS size) goes upstream, and an answer still too big for the client is cut
 * with TC set. At most {@code maxPending} queries are in flight, and at most
 * {@link DnsLimits#pendingPerNamespace} from one namespace, so a task flooding it with names
 * nobody answers cannot take every place; beyond either, SERVFAIL at once (counted).
 *
 * <p>Upstream sockets are reused: one UDP socket for every query, and TCP queries go pipelined on
 * a few pooled connections per upstream ({@link UpstreamTcpPool}) instead of one connection each.
 */
final class Forwarder implements AutoCloseable {
  private final List<InetSocketAddress> upstreams;
  private final long timeoutNanos;
  private final int maxPending;
  private final DnsCounters counters;
  private final NettyTransport transport;
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final Channel udp;
  private final UpstreamTcpPool tcpPool;
  private final int pendingPerNamespace;
  /** Queries in flight by the namespace that asked; loop only. */
  private final Map<String, Integer> pendingByNamespace = new HashMap<>();
  /** In-flight queries by our id; touched on {@link #loop} only. */
  private final Map<Integer, Pending> pending = new HashMap<>();
  /** The upstream that answered last; new queries start there. Loop only. */
  private int preferred;

  private final class Pending {
    final Message query;
    final byte[] wire;
    final int clientId;
    final int id;
    final int maxSize;
    final boolean tcp;
    final Consumer<byte[]> reply;
    final String namespace;
    final int start;
    int attempt;
    InetSocketAddress upstream;
    io.netty.util.concurrent.Future<?> timer;
    /** The pooled connection a TCP query is on. */
    Channel tcpChannel;

    Pending(String namespace, Reply.Forward f, int id, boolean tcp, Consumer<byte[]> reply) {
      this.namespace = namespace;
      this.query = f.query();
      this.wire = f.wire().clone();
      this.clientId = query.getHeader().getID();
      this.id = id;
      this.maxSize = f.maxSize();
      this.tcp = tcp;
      this.reply = reply;
      this.start = preferred;
      wire[0] = (byte) (id >> 8);
      wire[1] = (byte) id;
    }

    int index() {
      return (start + attempt) % upstreams.size();
    }
  }

  /** Starts the forwarder's loop thread via {@code group} (one thread, in the forwarding namespace). */
  Forwarder(DnsConfig config, DnsCounters counters, NettyTransport transport, EventLoopGroup group) {
    this.upstreams = config.upstreams();
    this.timeoutNanos = config.upstreamTimeout().toNanos();
    this.maxPending = config.maxPending();
    this.pendingPerNamespace = config.limits().pendingPerNamespace();
    this.counters = counters;
    this.transport = transport;
    this.group = group;
    this.loop = group.next();
    this.tcpPool = new UpstreamTcpPool(loop, transport, config.limits().upstreamTcpPerUpstream(),
        (int) Math.max(1, timeoutNanos / 1_000_000), config.limits().tcpIdle().toMillis(), counters,
        new UpstreamTcpPool.Events() {
          @Override
          public void answer(Channel from, byte[] wire) {
            onTcpAnswer(from, wire);
          }

          @Override
          public void closed(Channel ch, boolean hadAnswered) {
            onTcpClosed(ch, hadAnswered);
          }
        });
    Bootstrap b = new Bootstrap().group(loop).channelFactory(transport.datagram())
        .option(ChannelOption.SO_RCVBUF, 4 << 20)
        .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
          @Override
          protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            onUdpAnswer(p.sender(), ByteBufUtil.getBytes(p.content()));
          }
        });
    try {
      // Created on the loop's thread, so the socket is born in the forwarding namespace.
      this.udp = loop.submit(() -> b.bind(0)).get(10, TimeUnit.SECONDS).sync().channel();
    } catch (Exception e) {
      throw new IllegalStateException("embedded DNS: open the forwarding UDP socket: " + e.getMessage(), e);
    }
  }

  /** Forwards {@code f}; {@code reply} gets the bytes for the client (an answer or SERVFAIL), on the forwarder's thread. */
  void forward(String namespace, Reply.Forward f, boolean tcp, Consumer<byte[]> reply) {
    loop.execute(() -> begin(namespace, f, tcp, reply));
  }

  private void begin(String namespace, Reply.Forward f, boolean tcp, Consumer<byte[]> reply) {
    if (upstreams.isEmpty()) {
      fail(f.query(), f.maxSize(), reply);
      return;
    }
    int ofNamespace = pendingByNamespace.getOrDefault(namespace, 0);
    if (ofNamespace >= pendingPerNamespace) {
      counters.namespaceOverloaded.increment();
      fail(f.query(), f.maxSize(), reply);
      return;
    }
    if (pending.size() >= maxPending) {
      counters.overloaded.increment();
      fail(f.query(), f.maxSize(), reply);
      return;
    }
    int id;
    do {
      id = ThreadLocalRandom.current().nextInt(0x10000);
    } while (pending.containsKey(id));
    Pending p = new Pending(namespace, f, id, tcp, reply);
    pending.put(id, p);
    pendingByNamespace.put(namespace, ofNamespace + 1);
    send(p);
  }

  private void send(Pending p) {
    p.upstream = upstreams.get(p.index());
    p.timer = loop.schedule(() -> onTimeout(p), timeoutNanos, TimeUnit.NANOSECONDS);
    if (p.tcp) {
      sendTcp(p);
    } else {
      udp.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(p.wire), p.upstream));
    }
  }

  private void sendTcp(Pending p) {
    if (p.tcpChannel != null) {
      tcpPool.done(p.tcpChannel);
    }
    p.tcpChannel = tcpPool.send(p.upstream, p.wire);
  }

  /** No longer in flight: its place (and its namespace's) given back. */
  private void finish(Pending p) {
    pending.remove(p.id);
    pendingByNamespace.computeIfPresent(p.namespace, (k, n) -> n > 1 ? n - 1 : null);
    if (p.tcpChannel != null) {
      tcpPool.done(p.tcpChannel);
      p.tcpChannel = null;
    }
  }

  private void onTcpAnswer(Channel from, byte[] answer) {
    if (answer.length < 12) {
      return;
    }
    Pending p = pending.get(((answer[0] & 0xff) << 8) | (answer[1] & 0xff));
    if (p == null || !p.tcp || p.tcpChannel != from) {
      return;
    }
    onAnswer(p, p.upstream, answer);
  }

  /**
   * A pooled connection closed: its queries go on. A connection that had answered was ended by
   * a live upstream (RFC 7766 lets a server close between queries; dnsmasq does after 100), so
   * its unanswered queries go to the same upstream again on another connection, within the time
   * they have left there. A connection that never answered (refused, broken) counts as the
   * upstream failing: they go to the next.
   */
  private void onTcpClosed(Channel ch, boolean hadAnswered) {
    for (Pending p : new ArrayList<>(pending.values())) {
      if (p.tcpChannel != ch) {
        continue;
      }
      p.tcpChannel = null;
      if (hadAnswered) {
        counters.upstreamTcpResent.increment();
        sendTcp(p);
      } else {
        p.timer.cancel(false);
        next(p);
      }
    }
  }

  private void onUdpAnswer(InetSocketAddress from, byte[] answer) {
    if (answer.length < 12) {
      return;
    }
    Pending p = pending.get(((answer[0] & 0xff) << 8) | (answer[1] & 0xff));
    if (p == null || p.tcp || !from.equals(p.upstream)) {
      return;
    }
    onAnswer(p, from, answer);
  }

  /** An answer from {@code from} for {@code p}: checked, then delivered or failed over. */
  private void onAnswer(Pending p, InetSocketAddress from, byte[] answer) {
    if (pending.get(p.id) != p || !from.equals(p.upstream)) {
      return;
    }
    Message m;
    try {
      m = new Message(answer);
    } catch (Exception e) {
      return; // not an answer to anything: keep waiting for a real one
    }
    Record q = m.getQuestion();
    Record asked = p.query.getQuestion();
    if (m.getHeader().getID() != p.id || q == null || !q.getName().equals(asked.getName())
        || q.getType() != asked.getType() || q.getDClass() != asked.getDClass()) {
      return; // a stray or spoofed packet: keep waiting
    }
    int rcode = m.getRcode();
    if ((rcode == Rcode.SERVFAIL || rcode == Rcode.REFUSED) && p.attempt + 1 < upstreams.size()) {
      next(p);
      return;
    }
    p.timer.cancel(false);
    finish(p);
    preferred = p.index();
    counters.upstreamAnswers.increment();
    answer[0] = (byte) (p.clientId >> 8);
    answer[1] = (byte) p.clientId;
    if (answer.length > p.maxSize) {
      m.getHeader().setID(p.clientId);
      answer = m.toWire(p.maxSize);
      counters.truncated.increment();
    }
    p.reply.accept(answer);
  }

  private void onTimeout(Pending p) {
    if (pending.get(p.id) != p) {
      return;
    }
    counters.upstreamTimeouts.increment();
    if (p.index() == preferred) {
      preferred = (preferred + 1) % upstreams.size();
    }
    next(p);
  }

  private void next(Pending p) {
    p.timer.cancel(false);
    p.attempt++;
    if (p.attempt >= upstreams.size()) {
      finish(p);
      fail(p.query, p.maxSize, p.reply);
      return;
    }
    counters.upstreamFailovers.increment();
    send(p);
  }

  private void fail(Message query, int maxSize, Consumer<byte[]> reply) {
    counters.servfail.increment();
    reply.accept(QueryHandler.servfail(query, maxSize));
  }

  /** Queries in flight, for tests. */
  int inFlight() {
    try {
      return loop.submit(pending::size).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("embedded DNS forwarder: " + e.getMessage(), e);
    }
  }

  /** Pooled TCP connections open to {@code upstream}, for tests. */
  int tcpConnections(InetSocketAddress upstream) {
    try {
      return loop.submit(() -> tcpPool.open(upstream)).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("embedded DNS forwarder: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    loop.execute(tcpPool::close);
    udp.close().awaitUninterruptibly(Duration.ofSeconds(5).toMillis());
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5000);
  }
}
