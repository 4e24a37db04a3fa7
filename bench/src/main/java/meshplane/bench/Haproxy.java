package meshplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference load balancer: HAProxy (Debian's 2.6) in TCP mode in a namespace, listening on
 * {@code bind}, round robin over {@code servers} (IP:port) with no health checks, as one would
 * put it in front of the backends by hand. Threads are HAProxy's default (one per CPU) unless
 * {@code --haproxy-threads} says otherwise.
 */
final class Haproxy {
  private Haproxy() {}

  /** {@code threads} 0 keeps HAProxy's default (one thread per CPU). */
  static String config(Path dir, String bind, List<String> servers, int threads) {
    StringBuilder s = new StringBuilder("""
        global
          maxconn 4096
          pidfile %1$s/haproxy.pid
        %3$sdefaults
          mode tcp
          timeout connect 5s
          timeout client 60s
          timeout server 60s
        frontend mesh_bench
          bind %2$s
          default_backend backends
        backend backends
          balance roundrobin
        """.formatted(dir, bind, threads > 0 ? "  nbthread " + threads + "\n" : ""));
    for (int i = 0; i < servers.size(); i++) {
      s.append("  server s").append(i + 1).append(' ').append(servers.get(i)).append('\n');
    }
    return s.toString();
  }

  /** Starts HAProxy in {@code namespace}; waits until {@code bind} accepts a request from {@code probeNs}. */
  static Daemon start(String namespace, Path dir, String bindIp, int bindPort, List<String> servers, int threads, String probeNs) {
    Path cfg = dir.resolve("haproxy.cfg");
    try {
      Files.createDirectories(dir);
      Files.writeString(cfg, config(dir, bindIp + ":" + bindPort, servers, threads));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + cfg, e);
    }
    List<String> argv = new ArrayList<>(List.of("haproxy", "-db", "-f", cfg.toString()));
    Daemon d = Daemon.start("haproxy", namespace, dir.resolve("haproxy.out"), argv);
    try {
      HttpGet.getOk(probeNs, bindIp, bindPort, "/", 5000);
    } catch (RuntimeException e) {
      d.stop();
      throw new IllegalStateException("haproxy in " + namespace + " did not answer on " + bindIp + ":" + bindPort + ": "
          + e.getMessage() + "; " + d.tail(), e);
    }
    return d;
  }
}
