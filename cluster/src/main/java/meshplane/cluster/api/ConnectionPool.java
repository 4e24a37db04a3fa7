package meshplane.cluster.api;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API client's idle keep-alive connections, reused by the next request to the same target
 * with the same TLS context, so a client pays a TLS handshake once per connection, not per
 * request (as docker's CLI and Swarm's gRPC keep theirs). A connection is taken by one request at
 * a time and given back only when its answer was read whole and the server did not close it; at
 * most {@value #MAX_IDLE} idle per key, each kept {@value #IDLE_MILLIS} ms at most (the server
 * closes connections idle for longer: {@link ApiLimits#idleSeconds}). A new certificate is a new
 * TLS context, and so a new key: connections made with the old one are not reused. At most
 * {@value #MAX_IDLE_TOTAL} idle in all, whatever the keys (a client that makes a TLS context per
 * call, as meshctl's {@code --tls*} flags do, would otherwise leave one idle connection per call
 * to the server until its idle timeout): beyond, the expired are closed, and if none was, the
 * connection given back is closed instead of kept.
 */
final class ConnectionPool {
  static final int MAX_IDLE = 8;
  static final long IDLE_MILLIS = 20_000;
  static final int MAX_IDLE_TOTAL = 32;

  /** The target and the TLS context (null for a local socket) a connection was made for. */
  record Key(ApiTarget target, Object context) {}

  private record Idle(PooledConnection connection, long since) {}

  private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicInteger total = new java.util.concurrent.atomic.AtomicInteger();

  /** An idle connection for {@code key}, or null: the caller connects. */
  PooledConnection take(Key key) {
    Deque<Idle> q = idle.get(key);
    if (q == null) {
      return null;
    }
    long now = System.currentTimeMillis();
    while (true) {
      Idle i;
      synchronized (q) {
        i = q.pollLast();
      }
      if (i == null) {
        return null;
      }
      total.decrementAndGet();
      if (now - i.since() < IDLE_MILLIS) {
        return i.connection();
      }
      quietly(i.connection());
    }
  }

  /** {@code c}'s answer was read whole: it may serve the next request. */
  void give(Key key, PooledConnection c) {
    if (total.get() >= MAX_IDLE_TOTAL && sweep() == 0) {
      quietly(c);
      return;
    }
    while (true) {
      Deque<Idle> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
      synchronized (q) {
        if (idle.get(key) != q) {
          continue; // swept away meanwhile: a new queue
        }
        if (q.size() < MAX_IDLE) {
          q.addLast(new Idle(c, System.currentTimeMillis()));
          total.incrementAndGet();
          return;
        }
      }
      quietly(c);
      return;
    }
  }

  /** Closes the idle connections past {@link #IDLE_MILLIS} under every key, and forgets empty keys; how many were closed. */
  private int sweep() {
    long now = System.currentTimeMillis();
    int closed = 0;
    for (Map.Entry<Key, Deque<Idle>> e : idle.entrySet()) {
      Deque<Idle> q = e.getValue();
      synchronized (q) {
        while (!q.isEmpty() && now - q.peekFirst().since() >= IDLE_MILLIS) {
          quietly(q.pollFirst().connection());
          total.decrementAndGet();
          closed++;
        }
        if (q.isEmpty()) {
          idle.remove(e.getKey(), q);
        }
      }
    }
    return closed;
  }

  /** Idle connections kept now, under every key. */
  int idleCount() {
    return total.get();
  }

  static void quietly(PooledConnection c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // going anyway
    }
  }
}
