package meshplane.whoami;

import java.time.Duration;

/**
 * What one whoami accepts: at most {@code maxConnections} open connections (one more is answered
 * 503 and closed), a request line of at most {@code maxInitialLine} bytes (else 414), headers of
 * at most {@code maxHeaderSize} bytes together (else 431), a body of at most {@code maxBody} bytes
 * (else 413; the body is read and dropped), and a connection with no byte in or out for
 * {@code idleTimeout} is closed. Every refusal closes the connection.
 */
record WhoamiLimits(int maxConnections, int maxInitialLine, int maxHeaderSize, int maxBody, Duration idleTimeout) {
  static final WhoamiLimits DEFAULT = new WhoamiLimits(1024, 4096, 8192, 64 * 1024, Duration.ofSeconds(60));

  WhoamiLimits {
    if (maxConnections < 1 || maxInitialLine < 16 || maxHeaderSize < 16 || maxBody < 0) {
      throw new IllegalArgumentException("whoami limits out of range: " + maxConnections + " connections, "
          + maxInitialLine + " B request line, " + maxHeaderSize + " B headers, " + maxBody + " B body");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("whoami idle timeout must be positive, not " + idleTimeout);
    }
  }
}
