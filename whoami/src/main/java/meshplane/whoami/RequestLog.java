package meshplane.whoami;

import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The task's log: one line per answered request,
 * {@code <instant> <client ip> <method> <uri> <protocol> <status>}, buffered and written out by
 * {@link #flush} (at the end of each read, so a burst of pipelined requests costs one write).
 * Thread-safe: the event loops share it.
 */
final class RequestLog {
  private final PrintStream out;

  RequestLog(OutputStream target) {
    this.out = new PrintStream(new BufferedOutputStream(target, 16 * 1024), false, StandardCharsets.UTF_8);
  }

  synchronized void request(InetAddress client, String method, String uri, String protocol, int status) {
    out.append(Instant.now().toString()).append(' ').append(client.getHostAddress()).append(' ').append(method)
        .append(' ').append(uri).append(' ').append(protocol).append(' ').append(Integer.toString(status))
        .append('\n');
  }

  synchronized void flush() {
    out.flush();
  }
}
