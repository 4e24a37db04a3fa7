package meshplane.bench;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshplane.lab.HostCommand;

/**
 * One bounded wrk run ({@code wrk -t T -c C -d S --latency URL}) from a namespace, parsed:
 * requests/s, p50 and p99 latency, the number of requests completed, and errors (socket errors
 * and non-2xx/3xx responses), which wrk counts apart from the requests it reports.
 */
final class Wrk {
  /** What one run measured. */
  record Result(double rps, double p50ms, double p99ms, long requests, long errors) {}

  private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
  private static final Pattern TOTAL = Pattern.compile("(\\d+) requests in");
  private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");
  private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

  private Wrk() {}

  static Result run(String namespace, String url, int threads, int connections, int seconds) {
    List<String> argv = List.of("wrk", "-t", Integer.toString(threads), "-c", Integer.toString(connections),
        "-d", seconds + "s", "--timeout", "5s", "--latency", url);
    HostCommand.Result r = HostCommand.run(namespace, seconds + 30, argv);
    String out = r.output();
    Matcher rps = RPS.matcher(out);
    Matcher total = TOTAL.matcher(out);
    if (!r.ok() || !rps.find() || !total.find()) {
      throw new IllegalStateException("wrk " + url + " from " + namespace + " exited " + r.exitCode() + ": " + out.strip());
    }
    long errors = 0;
    Matcher se = SOCKET_ERRORS.matcher(out);
    if (se.find()) {
      for (int g = 1; g <= 4; g++) {
        errors += Long.parseLong(se.group(g));
      }
    }
    Matcher non2xx = NON_2XX.matcher(out);
    if (non2xx.find()) {
      errors += Long.parseLong(non2xx.group(1));
    }
    return new Result(Double.parseDouble(rps.group(1)), percentile(out, "50%"), percentile(out, "99%"),
        Long.parseLong(total.group(1)), errors);
  }

  /** A line of wrk's latency distribution, e.g. {@code "     99%   17.83ms"}, in milliseconds. */
  private static double percentile(String out, String which) {
    Matcher m = Pattern.compile("^\\s*" + Pattern.quote(which) + "\\s+([0-9.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE).matcher(out);
    if (!m.find()) {
      return Double.NaN;
    }
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "ms" -> v;
      case "s" -> v * 1000;
      default -> v * 60_000;
    };
  }
}
