package meshplane.whoami;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** A client on a plain socket, to see exactly what whoami sends and when it closes. */
final class RawHttp implements AutoCloseable {
  final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  private RawHttp(Socket socket) throws IOException {
    this.socket = socket;
    socket.setSoTimeout(5000);
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  static RawHttp connect(int port) throws IOException {
    return new RawHttp(new Socket(InetAddress.getLoopbackAddress(), port));
  }

  void send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** One response: the head up to the blank line, then Content-Length bytes of body. */
  Response read() throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection ended inside a response head: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
    }
    Response r = new Response(head.toString(StandardCharsets.ISO_8859_1), "");
    int length = r.header("Content-Length").map(Integer::parseInt).orElse(0);
    return new Response(r.head(), new String(in.readNBytes(length), StandardCharsets.UTF_8));
  }

  /** Bytes of one {@code read} call, up to 64 KiB. */
  byte[] readOnce() throws IOException {
    byte[] buffer = new byte[65536];
    int n = in.read(buffer);
    return n < 0 ? new byte[0] : java.util.Arrays.copyOf(buffer, n);
  }

  /** True when the server has closed: the next read sees the end of the stream (or a reset). */
  boolean endsWithoutMoreBytes() throws IOException {
    try {
      return in.read() < 0;
    } catch (java.net.SocketException e) {
      return e.getMessage() != null && e.getMessage().contains("reset");
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  record Response(String head, String body) {
    int status() {
      return Integer.parseInt(head.substring(9, 12));
    }

    Optional<String> header(String name) {
      String prefix = name.toLowerCase(Locale.ROOT) + ":";
      return head.lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith(prefix))
          .map(l -> l.substring(prefix.length()).strip()).findFirst();
    }
  }
}
