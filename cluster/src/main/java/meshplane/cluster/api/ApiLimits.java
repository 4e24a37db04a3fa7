package meshplane.cluster.api;

/**
 * What one API listener accepts, each a bound a hostile or broken client meets instead of the
 * daemon's threads, heap or file descriptors:
 * <ul>
 * <li>{@code firstRequestSeconds}: a connection whose TLS handshake and first whole request have not
 * arrived by then is closed (one that connects and says nothing, or garbage that never ends);
 * <li>{@code idleSeconds}: a connection with no request in progress for this long is closed;
 * <li>{@code maxConnectionsPerPeer} / {@code maxConnections}: open connections from one address, and
 * in all; one more is closed at once and counted;
 * <li>{@code newConnectionsPerSecond}: new connections from one address, a bucket of twice as many
 * that refills at this rate; one more is closed at once, before its TLS handshake costs anything,
 * and counted (a flood of handshakes, with a certificate or on the join channel, is CPU);
 * <li>{@code maxInitialLine}, {@code maxHeaderBytes}, {@code maxBodyBytes}: the request line (414),
 * the headers (431) and the body (413, refused from its {@code Content-Length} before it is read);
 * <li>{@code workers} handlers at once, {@code queue} more waiting, the next one 503;
 * <li>{@code maxStreams} streamed answers (log follows) at once, the next one 503; a stream whose
 * client reads nothing for {@code streamStallSeconds} is closed.
 * </ul>
 */
public record ApiLimits(int firstRequestSeconds, int idleSeconds, int maxConnectionsPerPeer, int maxConnections,
    int newConnectionsPerSecond, int maxInitialLine, int maxHeaderBytes, int maxBodyBytes, int workers, int queue, int maxStreams,
    int streamStallSeconds) {

  /** The daemon's listeners: 10 s, 60 s, 128 per address, 2,048 in all, 32 new a second per address, 8 KiB, 16 KiB, 1 MiB, 64 + 256, 64 streams, 60 s. */
  public static final ApiLimits DEFAULTS = new ApiLimits(10, 60, 128, 2048, 32, 8 << 10, 16 << 10, 1 << 20, 64, 256, 64, 60);

  public ApiLimits {
    if (firstRequestSeconds < 1 || idleSeconds < 1 || maxConnectionsPerPeer < 1 || maxConnections < maxConnectionsPerPeer
        || newConnectionsPerSecond < 1 || maxInitialLine < 256 || maxHeaderBytes < 1024 || maxBodyBytes < 1024 || workers < 1 || queue < 0
        || maxStreams < 1 || streamStallSeconds < 1) {
      throw new IllegalArgumentException("API limits out of range: " + this);
    }
  }

  public ApiLimits withConnections(int perPeer, int total) {
    return new ApiLimits(firstRequestSeconds, idleSeconds, perPeer, total, newConnectionsPerSecond, maxInitialLine, maxHeaderBytes, maxBodyBytes,
        workers, queue, maxStreams, streamStallSeconds);
  }

  public ApiLimits withNewConnectionsPerSecond(int perSecond) {
    return new ApiLimits(firstRequestSeconds, idleSeconds, maxConnectionsPerPeer, maxConnections, perSecond, maxInitialLine,
        maxHeaderBytes, maxBodyBytes, workers, queue, maxStreams, streamStallSeconds);
  }

  public ApiLimits withFirstRequestSeconds(int seconds) {
    return new ApiLimits(seconds, idleSeconds, maxConnectionsPerPeer, maxConnections, newConnectionsPerSecond, maxInitialLine, maxHeaderBytes,
        maxBodyBytes, workers, queue, maxStreams, streamStallSeconds);
  }

  public ApiLimits withWorkers(int n, int waiting) {
    return new ApiLimits(firstRequestSeconds, idleSeconds, maxConnectionsPerPeer, maxConnections, newConnectionsPerSecond, maxInitialLine,
        maxHeaderBytes, maxBodyBytes, n, waiting, maxStreams, streamStallSeconds);
  }

  public ApiLimits withStreams(int n, int stallSeconds) {
    return new ApiLimits(firstRequestSeconds, idleSeconds, maxConnectionsPerPeer, maxConnections, newConnectionsPerSecond, maxInitialLine,
        maxHeaderBytes, maxBodyBytes, workers, queue, n, stallSeconds);
  }
}
