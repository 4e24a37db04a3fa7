package meshplane.nettyio;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of one TCP listener (the API's, the Raft port's): open ones per peer address
 * and in all, and new ones per address and second (a bucket of twice the rate, refilled
 * continuously). A connection beyond a cap is closed before its TLS handshake and counted; a
 * warning is logged for the first refusal and then every 1,000th, so a flood does not flood the
 * log too. One instance per listener, shared by all its channels.
 */
public final class ConnectionCap {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);

  private final String listener;
  private final int perPeer;
  private final int total;
  private final int perSecond;
  private final ConcurrentHashMap<InetAddress, RateBucket> rates = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<InetAddress, Integer> byPeer = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();

  public ConnectionCap(String listener, int perPeer, int total, int perSecond) {
    this.listener = listener;
    this.perPeer = perPeer;
    this.total = total;
    this.perSecond = perSecond;
  }

  /** Tokens for new connections from one address: {@code 2 x perSecond} at most, {@code perSecond} more each second. */
  private static final class RateBucket {
    private double tokens;
    private volatile long last;

    RateBucket(double tokens, long now) {
      this.tokens = tokens;
      this.last = now;
    }

    synchronized boolean take(int perSecond, long now) {
      tokens = Math.min(2.0 * perSecond, tokens + (now - last) * perSecond / 1e9);
      last = now;
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }
  }

  /** Forgets the buckets of addresses quiet long enough to be full again, when there are many. */
  private void forgetQuiet(long now) {
    if (rates.size() > 4096) {
      rates.entrySet().removeIf(e -> now - e.getValue().last > 2_000_000_000L);
    }
  }

  /** Counts {@code ch} in (uncounted again when it closes), or closes it when a cap is reached: false. */
  public boolean admit(Channel ch) {
    InetAddress peer = ((InetSocketAddress) ch.remoteAddress()).getAddress();
    long now = System.nanoTime();
    forgetQuiet(now);
    if (!rates.computeIfAbsent(peer, p -> new RateBucket(2.0 * perSecond, now)).take(perSecond, now)) {
      refuse(ch, peer, "more than " + perSecond + " new connections a second from it");
      return false;
    }
    int fromPeer = byPeer.merge(peer, 1, Integer::sum);
    int all = open.incrementAndGet();
    if (fromPeer > perPeer || all > total) {
      release(peer);
      refuse(ch, peer, (fromPeer - 1) + " open from it, " + (all - 1) + " in all; caps " + perPeer + " per address, " + total
          + " in all");
      return false;
    }
    ch.closeFuture().addListener(f -> release(peer));
    return true;
  }

  private void refuse(Channel ch, InetAddress peer, String why) {
    long n = refused.incrementAndGet();
    if (n == 1 || n % 1000 == 0) {
      LOG.warn("{}: refused a connection from {} ({}); {} refused so far", listener, peer.getHostAddress(), why, n);
    }
    ch.close();
  }

  private void release(InetAddress peer) {
    open.decrementAndGet();
    byPeer.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1);
  }

  public long refused() {
    return refused.get();
  }

  public int open() {
    return open.get();
  }
}
