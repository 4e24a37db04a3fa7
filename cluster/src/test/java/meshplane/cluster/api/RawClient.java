package meshplane.cluster.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A test's hand-made client: raw TCP or TLS sockets to an {@link ApiServer}, bytes written as given. */
final class RawClient {
  private RawClient() {}

  /** A plain TCP connection from {@code from} (a loopback address) to {@code server}. */
  static Socket tcp(ApiServer server, String from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    s.connect(server.address(), 2_000);
    s.setSoTimeout(5_000);
    return s;
  }

  /** A mutual TLS connection with {@code tls}'s certificate. */
  static Socket tls(ApiServer server, ClientTls tls) throws IOException {
    Socket plain = tcp(server, "127.0.0.1");
    return tls.handshake(plain, "127.0.0.1", server.address().getPort());
  }

  static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** Everything the server sends until it closes or {@code millis} pass without a byte. */
  static String readAll(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        out.write(buf, 0, n);
      }
    } catch (java.net.SocketTimeoutException quiet) {
      // what came so far
    } catch (java.net.SocketException reset) {
      // closed by the server
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** True when the server closed the connection within {@code millis} (end of stream or reset). */
  static boolean closedWithin(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    try {
      return s.getInputStream().read() < 0;
    } catch (java.net.SocketTimeoutException open) {
      return false;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }
}
