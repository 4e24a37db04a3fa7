package meshplane.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The load-balancing benchmark's report: one line per path, the ratios (the two with goals, and
 * the reference's for context), the share of requests each backend counted, and a summary as
 * the last line.
 */
final class LbReport {
  /** mesh >= {@code direct} x direct, >= {@code haproxy} x HAProxy; each share within {@code share} (relative) of fair. */
  record Goals(double direct, double haproxy, double share) {}

  private LbReport() {}

  static void print(LbPath mesh, LbPath direct, LbPath haproxy, LbPath reference, Goals goals) {
    System.out.println();
    System.out.printf("%-8s %-17s %8s %7s %7s %6s   %s%n", "path", "address", "req/s", "p50 ms", "p99 ms", "errors", "per round (req/s), what");
    for (LbPath p : List.of(mesh, direct, haproxy, reference)) {
      String addr = p.ip() + ":" + p.port();
      if (p.results().isEmpty()) {
        System.out.printf("%-8s %-17s path unavailable: %s%n", p.name(), addr, p.unavailableReason());
        continue;
      }
      System.out.printf("%-8s %-17s %8.0f %7.2f %7.2f %6d   %s %s%n", p.name(), addr, p.medianRps(), p.medianP50(),
          p.medianP99(), p.errors(), p.results().stream().map(r -> String.format("%.0f", r.rps())).toList(), p.description());
      if (!p.available()) {
        System.out.printf("%-8s %-17s stopped early: %s%n", "", "", p.unavailableReason());
      }
    }
    System.out.println();
    String vsDirect = ratioLine("mesh / direct", mesh, direct, goals.direct());
    String vsHaproxy = ratioLine("mesh / haproxy", mesh, haproxy, goals.haproxy());
    ratioLine("mesh / nft-ref", mesh, reference, Double.NaN);
    ratioLine("nft-ref / direct", reference, direct, Double.NaN);
    ratioLine("nft-ref / haproxy", reference, haproxy, Double.NaN);
    ratioLine("haproxy / direct", haproxy, direct, Double.NaN);
    String shares = shareLine(mesh, goals.share());
    shareLine(haproxy, goals.share());
    shareLine(reference, goals.share());
    if (mesh.results().isEmpty()) {
      System.out.printf("summary: mesh path unavailable (%s); goals not checked; direct %s req/s, haproxy %s, nft-ref %s%n",
          mesh.unavailableReason(), rps(direct), rps(haproxy), rps(reference));
    } else {
      System.out.printf("summary: %s; %s; backend shares %s; mesh %s req/s, direct %s, haproxy %s, nft-ref %s%n",
          vsDirect, vsHaproxy, shares, rps(mesh), rps(direct), rps(haproxy), rps(reference));
    }
  }

  /** Per-round ratios a/b over the rounds both paths completed (a round runs them back to back). */
  private static List<Double> ratio(LbPath a, LbPath b) {
    List<Double> r = new ArrayList<>();
    for (int i = 0; i < Math.min(a.results().size(), b.results().size()); i++) {
      r.add(a.results().get(i).rps() / b.results().get(i).rps());
    }
    return r;
  }

  /** Prints the median per-round ratio, against {@code goal} unless it is NaN; returns it for the summary. */
  private static String ratioLine(String label, LbPath a, LbPath b, double goal) {
    List<Double> r = ratio(a, b);
    String goalText = Double.isNaN(goal) ? "" : String.format("goal >= %.2f", goal);
    if (r.isEmpty()) {
      System.out.printf("%-18s =  n/a  %-13s  %s path unavailable%n", label, goalText, a.results().isEmpty() ? a.name() : b.name());
      return label + " n/a";
    }
    double m = LbPath.median(r);
    String verdict = Double.isNaN(goal) ? "" : m >= goal ? "PASS" : "MISS";
    System.out.printf("%-18s = %5.2f %-13s %-4s  per round %s%n", label, m, goalText, verdict,
        r.stream().map(x -> String.format("%.2f", x)).toList());
    return String.format("%s %.2f (goal %.2f %s)", label, m, goal, verdict);
  }

  /**
   * Each backend's share of the requests its counter saw during the measured runs; the goal is
   * every share within {@code goal} (relative) of the fair share 1/N. Also the cross-check: the
   * counters' sum against the requests wrk says completed (wrk does not count requests still in
   * flight when it stops, so the counters may exceed it by up to the connections per run).
   */
  private static String shareLine(LbPath p, double goal) {
    long[] c = p.counted();
    long total = 0;
    for (long x : c) {
      total += x;
    }
    if (p.results().isEmpty() || total == 0) {
      System.out.printf("share %-9s n/a (path unavailable)%n", p.name() + ":");
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
    System.out.printf("share %-9s %sfair %.1f%% each, goal within %.0f%% of it: %s; counters %d, wrk completed %d%n",
        p.name() + ":", s, 100 * fair, 100 * goal, verdict, total, p.wrkRequests());
    return verdict;
  }

  private static String rps(LbPath p) {
    return p.results().isEmpty() ? "n/a" : String.format("%.0f", p.medianRps());
  }
}
