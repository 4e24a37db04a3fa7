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
 * TLS context, and so a new key: connections made with the old one are not reused.
 */
final class ConnectionPool {
  static final int MAX_IDLE = 8;
  static final long IDLE_MILLIS = 20_000;

  /** The target and the TLS context (null for a local socket) a connection was made for. */
  record Key(ApiTarget target, Object context) {}

  private record Idle(PooledConnection connection, long since) {}

  private final Map<Key, Deque<Idle>> idle = new ConcurrentHashMap<>();

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
      if (now - i.since() < IDLE_MILLIS) {
        return i.connection();
      }
      quietly(i.connection());
    }
  }

  /** {@code c}'s answer was read whole: it may serve the next request. */
  void give(Key key, PooledConnection c) {
    Deque<Idle> q = idle.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (q) {
      if (q.size() < MAX_IDLE) {
        q.addLast(new Idle(c, System.currentTimeMillis()));
        return;
      }
    }
    quietly(c);
  }

  static void quietly(PooledConnection c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // going anyway
    }
  }
}
