package meshplane.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Docker's (Go's) durations: {@code 500ms}, {@code 5s}, {@code 1m30s}, {@code 1.5h}; a unit is required (except for 0). */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

  private Durations() {}

  /** Milliseconds of {@code s}; throws IllegalArgumentException naming the rule. */
  static long parseMillis(String s) {
    String v = s == null ? "" : s.trim();
    if (v.equals("0")) {
      return 0;
    }
    Matcher m = PART.matcher(v);
    int at = 0;
    double millis = 0;
    while (at < v.length() && m.find(at) && m.start() == at) {
      double n = Double.parseDouble(m.group(1));
      millis += n * switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1_000;
        case "m" -> 60_000;
        default -> 3_600_000;
      };
      at = m.end();
    }
    if (v.isEmpty() || at != v.length()) {
      throw new IllegalArgumentException("\"" + s + "\" is not a duration: a number and a unit (ms, s, m, h), e.g. 500ms, 5s, 1m30s");
    }
    if (millis > Long.MAX_VALUE / 2) {
      throw new IllegalArgumentException("\"" + s + "\" is too long a duration");
    }
    return Math.round(millis);
  }

  /** {@code 5s}, {@code 500ms}, {@code 2m}: the shortest exact form. */
  static String format(long millis) {
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
