package meshplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshplane.lab.HostCommand;

/**
 * An HTTP backend of the benchmark: nginx (Debian's nginx-light) in a namespace, one worker,
 * {@code access_log off}, answering every request on port 80 with a 3-byte body from memory
 * ({@code return 200 "ok\n"}); nginx's default keepalive_requests (1000) is written out, so a wrk
 * connection is re-made, and so re-balanced, every 1000 requests. Its request counter is
 * stub_status on 127.0.0.1:8081, which only a process inside the namespace reaches. Every
 * instance gets this same configuration; only the paths of its pid, log and temp files differ.
 */
final class Nginx {
  static final int PORT = 80;
  private static final int STATUS_PORT = 8081;
  private static final Pattern REQUESTS = Pattern.compile("server accepts handled requests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)");

  private final String name;
  private final String namespace;
  private final Daemon daemon;

  private Nginx(String name, String namespace, Daemon daemon) {
    this.name = name;
    this.namespace = namespace;
    this.daemon = daemon;
  }

  static String config(Path dir) {
    return """
        daemon off;
        master_process on;
        worker_processes 1;
        pid %1$s/nginx.pid;
        error_log %1$s/error.log warn;
        events { worker_connections 4096; }
        http {
          access_log off;
          keepalive_requests 1000;
          client_body_temp_path %1$s/tmp;
          proxy_temp_path %1$s/tmp;
          fastcgi_temp_path %1$s/tmp;
          uwsgi_temp_path %1$s/tmp;
          scgi_temp_path %1$s/tmp;
          server {
            listen %2$d backlog=4096;
            location / { default_type text/plain; return 200 "ok\\n"; }
          }
          server {
            listen 127.0.0.1:%3$d;
            location = /nginx_status { stub_status; }
          }
        }
        """.formatted(dir, PORT, STATUS_PORT);
  }

  /** Starts an instance named {@code name} in {@code namespace}, its files under {@code dir}, and waits until it answers. */
  static Nginx start(String name, String namespace, Path dir) {
    try {
      Files.createDirectories(dir.resolve("tmp"));
      Files.writeString(dir.resolve("nginx.conf"), config(dir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write nginx files under " + dir, e);
    }
    HostCommand.run(namespace, 10, List.of("ip", "link", "set", "lo", "up")).orThrow(); // stub_status is on 127.0.0.1
    Daemon d = Daemon.start("nginx " + name, namespace, dir.resolve("nginx.out"),
        List.of("nginx", "-c", dir.resolve("nginx.conf").toString()));
    Nginx n = new Nginx(name, namespace, d);
    try {
      HttpGet.getOk(namespace, "127.0.0.1", STATUS_PORT, "/nginx_status", 5000);
    } catch (RuntimeException e) {
      d.stop();
      throw new IllegalStateException("nginx " + name + " in " + namespace + " did not answer: " + e.getMessage() + "; " + d.tail(), e);
    }
    return n;
  }

  String name() {
    return name;
  }

  String namespace() {
    return namespace;
  }

  Daemon daemon() {
    return daemon;
  }

  /** stub_status {@code requests}: every request this instance has read, including this read itself. */
  long requests() {
    daemon.requireAlive();
    String r = HttpGet.get(namespace, "127.0.0.1", STATUS_PORT, "/nginx_status", 2000);
    Matcher m = REQUESTS.matcher(r);
    if (!m.find()) {
      throw new IllegalStateException("nginx " + name + ": no request counter in stub_status: " + r);
    }
    return Long.parseLong(m.group(3));
  }
}
