package meshplane.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import meshplane.netlink.NetNamespace;

/**
 * One HTTP/1.0 GET from inside a namespace: the socket is made on a thread that entered the
 * namespace, so it belongs there (the way {@code nsenter --net=... curl} would). For probing a
 * path and reading nginx's stub_status; not for load.
 */
final class HttpGet {
  private HttpGet() {}

  /** The response (status line, headers, body); an error names the namespace and address. */
  static String get(String namespace, String ip, int port, String path, int timeoutMs) {
    try (NetNamespace ns = NetNamespace.open(namespace)) {
      return ns.call(() -> {
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(ip, port), timeoutMs);
          s.setSoTimeout(timeoutMs);
          OutputStream out = s.getOutputStream();
          out.write(("GET " + path + " HTTP/1.0\r\nHost: " + ip + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          InputStream in = s.getInputStream();
          return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
          throw new UncheckedIOException("GET http://" + ip + ":" + port + path + " from " + namespace + ": " + e.getMessage(), e);
        }
      });
    }
  }

  /** As {@link #get}, retried until {@code totalMs} has passed; the last error if none answered 200. */
  static String getOk(String namespace, String ip, int port, String path, int totalMs) {
    long deadline = System.nanoTime() + totalMs * 1_000_000L;
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        String r = get(namespace, ip, port, path, 1000);
        if (r.startsWith("HTTP/1.1 200") || r.startsWith("HTTP/1.0 200")) {
          return r;
        }
        last = new IllegalStateException("GET http://" + ip + ":" + port + path + " from " + namespace + ": "
            + r.lines().findFirst().orElse("empty response"));
      } catch (RuntimeException e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw last != null ? last : new IllegalStateException("GET http://" + ip + ":" + port + path + ": no time to try");
  }
}
