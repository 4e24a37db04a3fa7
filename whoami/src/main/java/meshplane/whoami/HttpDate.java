package meshplane.whoami;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header's value (RFC 9110's IMF-fixdate, {@code Sun, 06 Nov 1994 08:49:37 GMT}),
 * formatted once per second. Thread-safe.
 */
final class HttpDate {
  private static final DateTimeFormatter IMF_FIXDATE =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private record Formatted(long epochSecond, String text) {}

  private volatile Formatted current = new Formatted(Long.MIN_VALUE, "");

  String now() {
    long second = Math.floorDiv(System.currentTimeMillis(), 1000);
    Formatted f = current;
    if (f.epochSecond() != second) {
      f = new Formatted(second, format(Instant.ofEpochSecond(second)));
      current = f;
    }
    return f.text();
  }

  static String format(Instant instant) {
    return IMF_FIXDATE.format(instant);
  }
}
