package meshplane.cli;

import meshplane.dataplane.Protocol;
import meshplane.dataplane.PublishMode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshplane.cluster.model.PortConfig;

/**
 * The flag values of {@code service create|update}, {@code publish} and {@code node update}, parsed
 * the way docker reads them. Each parser is pure and throws IllegalArgumentException naming the
 * value and the rule; {@link FlagConverters} makes them picocli converters (exit 2 before any request).
 */
final class ServiceFlags {
  private static final Pattern PUBLISH = Pattern.compile("(?:(\\d+):)?(\\d+)(?:/([a-zA-Z]+))?");
  private static final Pattern CONSTRAINT = Pattern.compile("\\s*([A-Za-z0-9_.\\-]+)\\s*(==|!=)\\s*(\\S.*?)\\s*");
  private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private ServiceFlags() {}

  /** A protocol and a published port: {@code unpublish PUBLISHED[/proto]}, {@code --publish-rm}. */
  record PublishedPort(int published, Protocol protocol) {
    @Override
    public String toString() {
      return published + "/" + protocol;
    }
  }

  /**
   * {@code PUBLISHED:TARGET[/tcp|udp]}, or {@code TARGET[/proto]} alone (published 0: the manager
   * picks one in 30000-32767). Mode is always {@code ingress}.
   */
  static PortConfig publish(String s) {
    Matcher m = PUBLISH.matcher(s == null ? "" : s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + s + "\" must be PUBLISHED:TARGET[/tcp|udp] or TARGET[/tcp|udp]");
    }
    int published = m.group(1) == null ? 0 : port(m.group(1), "published port", s);
    int target = port(m.group(2), "target port", s);
    return new PortConfig(protocol(m.group(3), s), published, target, PublishMode.INGRESS);
  }

  /** {@code PUBLISHED[/tcp|udp]}, protocol tcp when not given. */
  static PublishedPort published(String s) {
    Matcher m = Pattern.compile("(\\d+)(?:/([a-zA-Z]+))?").matcher(s == null ? "" : s.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + s + "\" must be PUBLISHED[/tcp|udp]");
    }
    return new PublishedPort(port(m.group(1), "published port", s), protocol(m.group(2), s));
  }

  private static int port(String digits, String what, String s) {
    long p = digits.length() > 6 ? Long.MAX_VALUE : Long.parseLong(digits);
    if (p < 1 || p > 65535) {
      throw new IllegalArgumentException("\"" + s + "\": " + what + " " + digits + " must be 1-65535");
    }
    return (int) p;
  }

  private static Protocol protocol(String p, String s) {
    if (p == null) {
      return Protocol.TCP;
    }
    return Protocol.parse(p.toLowerCase(Locale.ROOT)).orElseThrow(() ->
        new IllegalArgumentException("\"" + s + "\": protocol " + p + " must be tcp or udp"));
  }

  /** {@code *:8080->80/tcp}, as docker's PORTS column. */
  static String portText(int published, int target, String protocol) {
    return "*:" + published + "->" + target + "/" + protocol;
  }

  /**
   * A placement constraint: {@code node.labels.K==V} (or {@code !=}), {@code node.role==manager|worker},
   * {@code node.hostname==H}, {@code node.id==ID}. Returns it normalised ({@code key==value}).
   */
  static String constraint(String s) {
    Matcher m = CONSTRAINT.matcher(s == null ? "" : s);
    if (!m.matches()) {
      throw new IllegalArgumentException("\"" + s + "\" must be KEY==VALUE or KEY!=VALUE, KEY one of node.labels.NAME, "
          + "node.role, node.hostname, node.id");
    }
    String key = m.group(1);
    String value = m.group(3);
    boolean known = key.equals("node.role") || key.equals("node.hostname") || key.equals("node.id")
        || (key.startsWith("node.labels.") && key.length() > "node.labels.".length());
    if (!known) {
      throw new IllegalArgumentException("\"" + s + "\": " + key + " is not a constraint key; use node.labels.NAME, "
          + "node.role, node.hostname or node.id");
    }
    if (key.equals("node.role") && !value.equals("manager") && !value.equals("worker")) {
      throw new IllegalArgumentException("\"" + s + "\": node.role must be compared with manager or worker");
    }
    return key + m.group(2) + value;
  }

  /** {@code --env K=V}: K a variable name, V anything (may be empty). */
  static Map.Entry<String, String> env(String s) {
    int eq = s == null ? -1 : s.indexOf('=');
    if (eq < 0 || !ENV_KEY.matcher(s.substring(0, eq)).matches()) {
      throw new IllegalArgumentException("\"" + s + "\" must be NAME=VALUE, NAME of letters, digits and _ not starting with a digit");
    }
    return Map.entry(s.substring(0, eq), s.substring(eq + 1));
  }

  /** {@code --label-add k=v} or {@code k} alone (empty value). */
  static Map.Entry<String, String> label(String s) {
    int eq = s == null ? -1 : s.indexOf('=');
    String key = eq < 0 ? s : s.substring(0, eq);
    if (key == null || key.isBlank() || key.contains(" ")) {
      throw new IllegalArgumentException("\"" + s + "\" must be KEY=VALUE or KEY (a non-empty key without spaces)");
    }
    return Map.entry(key, eq < 0 ? "" : s.substring(eq + 1));
  }

  /** {@code --reserve-cpu 0.5} -> 500 millicores; at most 3 decimals, not negative. */
  static long cpuMillis(String s) {
    return cpuUnits(s, 3, "millicores");
  }

  /** A number of CPUs in units of 10^-decimals of a core: at most that many decimals, 0 to 1,000,000 cores. */
  static long cpuUnits(String s, int decimals, String units) {
    BigDecimal d;
    try {
      d = new BigDecimal(s.trim());
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException("\"" + s + "\" must be a number of CPUs, e.g. 0.5 or 2");
    }
    if (d.signum() < 0 || d.stripTrailingZeros().scale() > decimals || d.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
      throw new IllegalArgumentException("\"" + s + "\" must be a number of CPUs from 0 to 1000000 with at most " + decimals
          + " decimals (" + units + ")");
    }
    return d.movePointRight(decimals).longValueExact();
  }

  /** {@code NAME=N} of {@code service scale}. */
  static Map.Entry<String, Integer> scale(String s) {
    int eq = s == null ? -1 : s.lastIndexOf('=');
    if (eq <= 0) {
      throw new IllegalArgumentException("\"" + s + "\" must be SERVICE=REPLICAS");
    }
    return Map.entry(s.substring(0, eq), replicas(s.substring(eq + 1), s));
  }

  static int replicas(String n, String context) {
    try {
      int r = Integer.parseInt(n.trim());
      if (r >= 0 && r <= 10_000) {
        return r;
      }
    } catch (NumberFormatException ignored) {
      // the message below
    }
    throw new IllegalArgumentException("\"" + context + "\": replicas " + n + " must be a whole number from 0 to 10000");
  }

  /** {@code --args "a 'b c' d"}: words split on blanks, single or double quotes group. */
  static List<String> words(String s) {
    List<String> out = new java.util.ArrayList<>();
    StringBuilder w = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (char c : s.toCharArray()) {
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        } else {
          w.append(c);
        }
      } else if (c == '\'' || c == '"') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) {
          out.add(w.toString());
          w.setLength(0);
          inWord = false;
        }
      } else {
        w.append(c);
        inWord = true;
      }
    }
    if (quote != 0) {
      throw new IllegalArgumentException("\"" + s + "\": a quote is not closed");
    }
    if (inWord) {
      out.add(w.toString());
    }
    return out;
  }
}
