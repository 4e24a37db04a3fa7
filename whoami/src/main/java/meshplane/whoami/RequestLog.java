package meshplane.whoami;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The task's log: one line per answered request,
 * {@code <instant> <client ip> <method> <uri> <protocol> <status>} (the instant as
 * {@link Instant#toString}), buffered and written out by {@link #flush} (at the end of each read,
 * so a burst of pipelined requests costs one write). Each line is made on the caller's thread and
 * only its bytes are copied under the lock: the event loops share the log, and a line built with
 * a {@code PrintStream}'s appends under its lock cost 15% of whoami's CPU at 64 connections.
 * Thread-safe.
 */
final class RequestLog {
  private static final ThreadLocal<StringBuilder> LINE = ThreadLocal.withInitial(() -> new StringBuilder(128));
  private final OutputStream out;
  /** The instant's text up to the seconds, for the second it was made in (one per thread). */
  private static final ThreadLocal<SecondText> SECOND = ThreadLocal.withInitial(SecondText::new);

  RequestLog(OutputStream target) {
    this.out = new BufferedOutputStream(target, 16 * 1024);
  }

  void request(InetAddress client, String method, String uri, String protocol, int status) {
    StringBuilder line = LINE.get();
    line.setLength(0);
    appendInstant(line, Instant.now());
    line.append(' ').append(client.getHostAddress()).append(' ').append(method).append(' ').append(uri).append(' ')
        .append(protocol).append(' ').append(status).append('\n');
    byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
    synchronized (this) {
      try {
        out.write(bytes);
      } catch (IOException e) {
        // stdout is gone (the log file removed): the answer matters more than its log line
      }
    }
  }

  synchronized void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      // as above
    }
  }

  /** {@link Instant#toString}'s text of {@code now}, made as {@link #request} makes it. */
  String instantText(Instant now) {
    StringBuilder b = new StringBuilder();
    appendInstant(b, now);
    return b.toString();
  }

  /** {@link Instant#toString}'s text, with the part up to the seconds made once a second. */
  private static void appendInstant(StringBuilder line, Instant now) {
    SecondText s = SECOND.get();
    if (s.epochSecond != now.getEpochSecond() || s.text == null) {
      String whole = Instant.ofEpochSecond(now.getEpochSecond()).toString(); // ...T04:20:01Z
      s.text = whole.substring(0, whole.length() - 1);
      s.epochSecond = now.getEpochSecond();
    }
    line.append(s.text);
    int nanos = now.getNano();
    if (nanos != 0) {
      // as ISO_INSTANT: milli, micro or nano digits, the fewest that show the value whole
      int digits = nanos % 1_000_000 == 0 ? 3 : nanos % 1_000 == 0 ? 6 : 9;
      int value = digits == 3 ? nanos / 1_000_000 : digits == 6 ? nanos / 1_000 : nanos;
      String v = Integer.toString(value);
      line.append('.');
      for (int i = v.length(); i < digits; i++) {
        line.append('0');
      }
      line.append(v);
    }
    line.append('Z');
  }

  private static final class SecondText {
    long epochSecond;
    String text;
  }
}
