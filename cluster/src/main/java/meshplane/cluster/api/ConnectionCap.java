package meshplane.cluster.api;

import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections of one listener, per peer address and in all ({@link ApiLimits}): a
 * connection beyond either cap is closed before its TLS handshake and counted; a warning is
 * logged for the first refusal and then every 1,000th, so a flood does not flood the log too.
 */
final class ConnectionCap {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionCap.class);

  private final String listener;
  private final int perPeer;
  private final int total;
  private final ConcurrentHashMap<InetAddress, Integer> byPeer = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();

  ConnectionCap(String listener, int perPeer, int total) {
    this.listener = listener;
    this.perPeer = perPeer;
    this.total = total;
  }

  /** Counts {@code ch} in (uncounted again when it closes), or closes it when a cap is reached: false. */
  boolean admit(Channel ch) {
    InetAddress peer = ((InetSocketAddress) ch.remoteAddress()).getAddress();
    int fromPeer = byPeer.merge(peer, 1, Integer::sum);
    int all = open.incrementAndGet();
    if (fromPeer > perPeer || all > total) {
      release(peer);
      long n = refused.incrementAndGet();
      if (n == 1 || n % 1000 == 0) {
        LOG.warn("API {}: refused a connection from {} ({} open from it, {} in all; caps {} per address, {} in all);"
            + " {} refused so far", listener, peer.getHostAddress(), fromPeer - 1, all - 1, perPeer, total, n);
      }
      ch.close();
      return false;
    }
    ch.closeFuture().addListener(f -> release(peer));
    return true;
  }

  private void release(InetAddress peer) {
    open.decrementAndGet();
    byPeer.computeIfPresent(peer, (p, n) -> n == 1 ? null : n - 1);
  }

  long refused() {
    return refused.get();
  }

  int open() {
    return open.get();
  }
}
