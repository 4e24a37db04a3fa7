package meshplane.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The load-balancing benchmark's report: one line per path, the two ratios against their goals,
 * the share of requests each backend counted, and a summary as the last line.
 */
final class LbReport {
  private LbReport() {}

  static void print(LbPath mesh, LbPath direct, LbPath haproxy, double goalDirect, double goalHaproxy, double goalShare) {
    System.out.println();
    System.out.printf("%-8s %-17s %10s %8s %8s %7s   %s%n", "path", "address", "req/s", "p50 ms", "p99 ms", "errors", "per round (req/s)");
    for (LbPath p : List.of(mesh, direct, haproxy)) {
      String addr = p.ip() + ":" + p.port();
      if (p.results().isEmpty()) {
        System.out.printf("%-8s %-17s %s path unavailable: %s%n", p.name(), addr, "", p.unavailableReason());
        continue;
      }
      System.out.printf("%-8s %-17s %10.0f %8.2f %8.2f %7d   %s  %s%n", p.name(), addr, p.medianRps(), p.medianP50(),
          p.medianP99(), p.errors(), p.results().stream().map(r -> String.format("%.0f", r.rps())).toList(), p.description());
      if (!p.available()) {
        System.out.printf("%-8s %-17s %s stopped: %s%n", "", "", "", p.unavailableReason());
      }
    }
    System.out.println();
    String vsDirect = ratioLine("mesh / direct ", mesh, direct, goalDirect);
    String vsHaproxy = ratioLine("mesh / haproxy", mesh, haproxy, goalHaproxy);
    String shares = shareLine(mesh, goalShare);
    shareLine(haproxy, goalShare);
    String haproxyVsDirect = ratio(haproxy, direct).isEmpty() ? "haproxy n/a"
        : String.format("haproxy %.2f x direct", LbPath.median(ratio(haproxy, direct)));
    if (mesh.results().isEmpty()) {
      System.out.printf("summary: mesh path unavailable (%s); direct %s req/s, %s; goals not checked%n",
          mesh.unavailableReason(), rps(direct), haproxyVsDirect);
    } else {
      System.out.printf("summary: %s; %s; mesh shares %s; mesh %s req/s, direct %s, haproxy %s (%s)%n",
          vsDirect, vsHaproxy, shares, rps(mesh), rps(direct), rps(haproxy), haproxyVsDirect);
    }
  }

  /** Per-round ratios a/b over the rounds both paths completed (each round runs them minutes apart at most). */
  private static List<Double> ratio(LbPath a, LbPath b) {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < Math.min(a.results().size(), b.results().size()); i++) {
      r.add(a.results().get(i).rps() / b.results().get(i).rps());
    }
    return r;
  }

  private static String ratioLine(String label, LbPath a, LbPath b, double goal) {
    List<Double> r = ratio(a, b);
    if (r.isEmpty()) {
      String line = String.format("%s = n/a  (goal >= %.2f)  %s unavailable", label.strip(), goal, a.results().isEmpty() ? a.name() : b.name());
      System.out.println(line);
      return line;
    }
    double m = LbPath.median(r);
    String verdict = m >= goal ? "PASS" : "MISS";
    System.out.printf("%s = %.2f  goal >= %.2f  %s   per round %s%n", label, m, goal, verdict,
        r.stream().map(x -> String.format("%.2f", x)).toList());
    return String.format("%s %.2f (goal %.2f %s)", label.strip(), m, goal, verdict);
  }

  /**
   * Each backend's share of the requests its counter saw during the measured runs; the goal is
   * every share within {@code goal} (relative) of the fair share 1/N. Also the cross-check: the
   * counters' sum against the requests wrk says completed (wrk does not count requests still in
   * flight when it stops, so the counters may exceed it by up to the number of connections).
   */
  private static String shareLine(LbPath p, double goal) {
    long[] c = p.counted();
    long total = 0;
    for (long x : c) {
      total += x;
    }
    if (p.results().isEmpty() || total == 0) {
      System.out.printf("share %-8s n/a (path unavailable)%n", p.name() + ":");
      return "n/a";
    }
    double fair = 1.0 / c.length;
    boolean ok = true;
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < c.length; i++) {
      double share = (double) c[i] / total;
      ok &= Math.abs(share - fair) <= goal * fair;
      s.append(String.format("%s %.1f%% (%d)  ", p.backends().get(i).name(), 100 * share, c[i]));
    }
    String verdict = ok ? "PASS" : "MISS";
    System.out.printf("share %-8s %sfair %.1f%% each, goal within %.0f%% of it: %s; counted %d, wrk completed %d%n",
        p.name() + ":", s, 100 * fair, 100 * goal, verdict, total, p.wrkRequests());
    return verdict;
  }

  private static String rps(LbPath p) {
    return p.results().isEmpty() ? "n/a" : String.format("%.0f", p.medianRps());
  }
}
