package meshplane.cluster.api;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 response as {@link ApiClient} reads it off a socket: the status line, the headers,
 * and the body as a stream framed by {@code Transfer-Encoding: chunked}, {@code Content-Length},
 * or (neither) the server closing the connection.
 */
final class ClientHttpResponse {
  private static final int MAX_LINE = 16 * 1024;

  final int status;
  final String reason;
  final Map<String, String> headers;
  final InputStream body;

  private ClientHttpResponse(int status, String reason, Map<String, String> headers, InputStream body) {
    this.status = status;
    this.reason = reason;
    this.headers = headers;
    this.body = body;
  }

  static ClientHttpResponse read(InputStream in) throws IOException {
    String statusLine = readLine(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: \"" + statusLine + "\"");
    }
    int status;
    try {
      status = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("bad HTTP status in \"" + statusLine + "\"");
    }
    Map<String, String> headers = new TreeMap<>();
    for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    InputStream body;
    String te = headers.get("transfer-encoding");
    String length = headers.get("content-length");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      body = new Chunked(in);
    } else if (length != null) {
      long n;
      try {
        n = Long.parseLong(length);
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length \"" + length + "\"");
      }
      body = new Limited(in, n);
    } else {
      body = in; // until the server closes
    }
    return new ClientHttpResponse(status, parts.length > 2 ? parts[2] : "", headers, body);
  }

  byte[] readBody() throws IOException {
    return body.readAllBytes();
  }

  /** Whether the connection may carry another request once this body is read: framed, and not closed by the server. */
  boolean keepsConnection() {
    boolean framed = headers.containsKey("content-length")
        || headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked");
    return framed && !"close".equalsIgnoreCase(headers.getOrDefault("connection", ""));
  }

  /** A CRLF (or LF) terminated line, in ISO-8859-1, without its terminator. */
  static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    while (true) {
      int c = in.read();
      if (c < 0) {
        throw new EOFException("connection closed in the middle of the response head");
      }
      if (c == '\n') {
        break;
      }
      if (b.size() >= MAX_LINE) {
        throw new IOException("response line longer than " + MAX_LINE + " bytes");
      }
      b.write(c);
    }
    String s = b.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  /** A body framed within the underlying stream; reading one byte is reading a block of one. */
  private abstract static class FramedBody extends InputStream {
    final InputStream in;

    FramedBody(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }

  /** Exactly {@code remaining} bytes of the underlying stream. */
  private static final class Limited extends FramedBody {
    private long remaining;

    Limited(InputStream in, long remaining) {
      super(in);
      this.remaining = remaining;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException("connection closed with " + remaining + " bytes of the body missing");
      }
      remaining -= n;
      return n;
    }
  }

  /** The chunked transfer coding: hex size line, data, CRLF; a zero size (then trailers) ends it. */
  private static final class Chunked extends FramedBody {
    private long left;
    private boolean done;

    Chunked(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        String size = readLine(in);
        int semi = size.indexOf(';');
        String hex = (semi < 0 ? size : size.substring(0, semi)).trim();
        try {
          left = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
          throw new IOException("bad chunk size line \"" + size + "\"");
        }
        if (left == 0) {
          while (!readLine(in).isEmpty()) {
            // trailers: ignored
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new EOFException("connection closed inside a chunk");
      }
      left -= n;
      if (left == 0 && !readLine(in).isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
      return n;
    }
  }
}
