package meshplane.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One path of the load-balancing benchmark: where wrk sends its load, which backends' counters
 * tell the share each got (none for the single-backend direct path), what every round measured,
 * and why the path is unavailable when it is.
 */
final class LbPath {
  private final String name;
  private final String ip;
  private final int port;
  private final String description;
  private final List<Nginx> backends;
  private final List<Wrk.Result> results = new ArrayList<>();
  private final long[] counted;
  private String unavailable;

  LbPath(String name, String ip, int port, String description, List<Nginx> backends) {
    this.name = name;
    this.ip = ip;
    this.port = port;
    this.description = description;
    this.backends = List.copyOf(backends);
    this.counted = new long[backends.size()];
  }

  static LbPath unavailable(String name, String ip, int port, String description, String reason) {
    LbPath p = new LbPath(name, ip, port, description, List.of());
    p.unavailable = reason;
    return p;
  }

  String name() {
    return name;
  }

  String url() {
    return "http://" + ip + ":" + port + "/";
  }

  String ip() {
    return ip;
  }

  int port() {
    return port;
  }

  String description() {
    return description;
  }

  List<Nginx> backends() {
    return backends;
  }

  boolean available() {
    return unavailable == null;
  }

  String unavailableReason() {
    return unavailable;
  }

  void markUnavailable(String reason) {
    unavailable = reason;
  }

  List<Wrk.Result> results() {
    return results;
  }

  /** Requests each backend served during the measured runs, from its own counter. */
  long[] counted() {
    return counted.clone();
  }

  /**
   * One measured run: wrk between two reads of every backend's counter. A counter's difference
   * includes the second read itself, hence the {@code - 1}.
   */
  Wrk.Result measure(String clientNs, int threads, int connections, int seconds) {
    long[] before = new long[backends.size()];
    for (int i = 0; i < before.length; i++) {
      before[i] = backends.get(i).requests();
    }
    Wrk.Result r = Wrk.run(clientNs, url(), threads, connections, seconds);
    for (int i = 0; i < before.length; i++) {
      counted[i] += backends.get(i).requests() - before[i] - 1;
    }
    results.add(r);
    return r;
  }

  static double median(List<Double> v) {
    if (v.isEmpty()) {
      return Double.NaN;
    }
    double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  double medianRps() {
    return median(results.stream().map(Wrk.Result::rps).toList());
  }

  double medianP50() {
    return median(results.stream().map(Wrk.Result::p50ms).toList());
  }

  double medianP99() {
    return median(results.stream().map(Wrk.Result::p99ms).toList());
  }

  long wrkRequests() {
    return results.stream().mapToLong(Wrk.Result::requests).sum();
  }

  long errors() {
    return results.stream().mapToLong(Wrk.Result::errors).sum();
  }
}
