package meshplane.whoami;

import java.time.Duration;

/**
 * The {@link HostView} read at most once per {@link #REFRESH}: reading it costs some 40 us, more
 * than the rest of an answer, so every request re-reading it (as the JDK-HttpServer whoami did)
 * capped one core at some 20,000 answers/s. An address added or a hostname changed shows in the
 * answers within {@link #REFRESH}. Thread-safe: two event loops that find it stale at once both
 * read, and the later one wins.
 */
final class HostViewCache {
  static final Duration REFRESH = Duration.ofSeconds(1);

  private record Snapshot(HostView view, long readAtNanos) {}

  private volatile Snapshot current;

  HostView get() {
    Snapshot s = current;
    long now = System.nanoTime();
    if (s == null || now - s.readAtNanos() >= REFRESH.toNanos()) {
      s = new Snapshot(HostView.read(), now);
      current = s;
    }
    return s.view();
  }
}
