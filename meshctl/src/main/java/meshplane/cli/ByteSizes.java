package meshplane.cli;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Memory sizes as docker takes them: {@code 1048576}, {@code 512k}, {@code 64M}, {@code 1.5G}, {@code 1GiB}; powers of 1024. */
final class ByteSizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?", Pattern.CASE_INSENSITIVE);

  private ByteSizes() {}

  static long parse(String s) {
    Matcher m = SIZE.matcher(s == null ? "" : s.trim());
    if (!m.matches() || (m.group(2).isEmpty() && m.group(3) != null && m.group(3).length() == 2)) {
      throw new IllegalArgumentException("\"" + s + "\" is not a size: bytes, or a number with k, M, G or T (e.g. 64M, 1G, 1.5G)");
    }
    int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
      case "k" -> 10;
      case "m" -> 20;
      case "g" -> 30;
      case "t" -> 40;
      default -> 0;
    };
    BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
    if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      throw new IllegalArgumentException("\"" + s + "\" is too large a size");
    }
    return bytes.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
  }

  /** {@code 64MiB}, {@code 1.5GiB}, {@code 100B}: as {@code service inspect --pretty} shows it. */
  static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    String n = v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v).replaceAll("\\.?0+$", "");
    return n + units[u];
  }
}
