package meshplane.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import meshplane.netlink.NetNamespace;
import meshplane.pki.NodeCredentials;

/**
 * The attacker's sockets, all born in the lab's client namespace (threads of {@link #threads}
 * live there): plain TCP, TLS with an administrator's client certificate (authenticated but
 * abusive), and TLS on the join channel with no certificate (SNI {@code join.swarm.meshplane},
 * the server not checked). Requests are bytes written as given; an answer is read as it comes.
 */
final class HostileClient implements AutoCloseable {
  static final String JOIN_NAME = "join.swarm.meshplane";

  private final NetNamespace ns;
  private final InetSocketAddress server;
  private final SSLContext withCertificate;
  private final SSLContext anonymous;

  HostileClient(String namespace, String host, int port, Path certs) throws Exception {
    this.ns = NetNamespace.open(namespace);
    this.server = new InetSocketAddress(host, port);
    this.withCertificate = NodeCredentials.read(certs.resolve("key.pem"), certs.resolve("cert.pem"), certs.resolve("ca.pem"))
        .sslContext();
    SSLContext any = SSLContext.getInstance("TLSv1.3");
    any.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    this.anonymous = any;
  }

  /** {@code n} threads in the client namespace. */
  ExecutorService threads(int n, String name) {
    AtomicInteger i = new AtomicInteger();
    return Executors.newFixedThreadPool(n, r -> ns.newThread(name + "-" + i.incrementAndGet(), r));
  }

  /** A plain TCP connection (on a client-namespace thread). */
  Socket plain(int connectMillis) throws IOException {
    Socket s = new Socket();
    try {
      s.connect(server, connectMillis);
      s.setSoTimeout(5_000);
      return s;
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** TLS with the client certificate. */
  SSLSocket withCertificate() throws IOException {
    return tls(withCertificate, null);
  }

  /** TLS on the join channel, no certificate. */
  SSLSocket joinChannel() throws IOException {
    return tls(anonymous, JOIN_NAME);
  }

  private SSLSocket tls(SSLContext ctx, String sni) throws IOException {
    Socket plain = plain(3_000);
    try {
      SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, server.getHostString(), server.getPort(), true);
      SSLParameters p = s.getSSLParameters();
      p.setProtocols(new String[] {"TLSv1.3"});
      if (sni != null) {
        p.setServerNames(List.of(new SNIHostName(sni)));
      }
      s.setSSLParameters(p);
      s.startHandshake();
      return s;
    } catch (IOException e) {
      plain.close();
      throw e;
    }
  }

  static void send(Socket s, String text) throws IOException {
    s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
    s.getOutputStream().flush();
  }

  /** The answer's status line ("" when the server closed first; "timeout" when nothing came within {@code millis}). */
  static String statusLine(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    InputStream in = s.getInputStream();
    try {
      for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
        line.write(b);
      }
    } catch (java.net.SocketTimeoutException quiet) {
      return "timeout";
    } catch (java.net.SocketException | javax.net.ssl.SSLException closed) {
      // closed or reset by the server
    }
    return line.toString(StandardCharsets.ISO_8859_1).trim();
  }

  /** The rest of an answer, until the server closes or {@code millis} pass without a byte (at most 64 KiB kept). */
  static String rest(Socket s, int millis) throws IOException {
    s.setSoTimeout(millis);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n = s.getInputStream().read(buf); n >= 0 && out.size() < (64 << 10); n = s.getInputStream().read(buf)) {
        out.write(buf, 0, n);
      }
    } catch (IOException quietOrClosed) {
      // what came so far
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * True when the server closes {@code s} (end of stream or reset) within {@code millis}; what it
   * sends before (a TLS alert, an error) is read and dropped.
   */
  static boolean closedByServer(Socket s, int millis) {
    long end = System.currentTimeMillis() + millis;
    byte[] buf = new byte[4096];
    try {
      while (true) {
        long left = end - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        s.setSoTimeout((int) left);
        if (s.getInputStream().read(buf) < 0) {
          return true;
        }
      }
    } catch (java.net.SocketTimeoutException open) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  static void quietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // going anyway
    }
  }

  @Override
  public void close() {
    ns.close();
  }
}
