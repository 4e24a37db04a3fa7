package meshplane.cluster.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import meshplane.netlink.NetNamespace;

/**
 * The meshplane API's client (meshctl's, the agents' and the managers'): HTTP/1.1 with JSON
 * bodies over mutual TLS 1.3 ({@link ClientTls}) to {@code host:port}, or over a daemon's local
 * unix socket; connections kept alive and reused ({@link ConnectionPool}), a stream on one of its
 * own. The TCP socket is opened
 * inside the target's network namespace when it has one (a lab node), and keeps that namespace
 * for its life. A non-2xx answer becomes an {@link ApiException} with the body's {@code error}
 * and {@code field}; no answer at all, or a failed handshake, becomes one with status 0.
 */
public final class ApiClient {
  /** The API's mapper ({@link ApiJson#MAPPER}). */
  public static final ObjectMapper JSON = ApiJson.MAPPER;

  private final ApiTarget target;
  private final ClientTls tls;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;

  /** To a daemon's local socket. */
  public ApiClient(ApiTarget target) {
    this(target, null);
  }

  /** {@code tls}: how to speak TLS to a TCP target (required for one; ignored for a local socket). */
  public ApiClient(ApiTarget target, ClientTls tls) {
    this(target, tls, 5_000, 120_000);
  }

  public ApiClient(ApiTarget target, ClientTls tls, int connectTimeoutMillis, int readTimeoutMillis) {
    if (!target.isLocalSocket() && tls == null) {
      throw new IllegalArgumentException("the API at " + target.describe() + " is reached over mutual TLS only:"
          + " give a certificate of the cluster (--tlscacert, --tlscert, --tlskey), or use the node's local socket");
    }
    this.target = target;
    this.tls = tls;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.readTimeoutMillis = readTimeoutMillis;
  }

  /** A status and a body, whatever the status: what {@link #send} answers. */
  public record Answer(int status, byte[] body) {}

  /**
   * One request as given ({@code pathAndQuery} already encoded, {@code headers} added), its
   * answer whatever its status: for a manager passing a request on to the leader.
   */
  public Answer send(String method, String pathAndQuery, byte[] body, Map<String, String> headers) {
    try {
      Reply r = request(method, pathAndQuery, body, headers);
      return new Answer(r.status(), r.body());
    } catch (SocketTimeoutException e) {
      throw new ApiException(0, method + " " + pathAndQuery + ": no answer from " + target.describe() + " within "
          + readTimeoutMillis / 1000 + " s", null);
    } catch (IOException e) {
      throw new ApiException(0, method + " " + pathAndQuery + " from " + target.describe() + ": " + e.getMessage(), null);
    }
  }

  public ApiTarget target() {
    return target;
  }

  public JsonNode get(String path) {
    return json("GET", path, null);
  }

  /** POSTs {@code body} as JSON (a record, a map, a {@link JsonNode}; null sends {@code {}}). */
  public JsonNode post(String path, Object body) {
    try {
      return json("POST", path, JSON.writeValueAsBytes(body == null ? JSON.createObjectNode() : body));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode the body of POST " + path + ": " + e.getOriginalMessage(), e);
    }
  }

  public JsonNode delete(String path) {
    return json("DELETE", path, null);
  }

  /**
   * GETs a text answer and copies it to {@code out} as it arrives (flushing after each read),
   * until the body ends or the server closes: for {@code logs -f}. No read timeout.
   */
  public void stream(String path, OutputStream out) {
    stream(path, out, c -> { });
  }

  /**
   * As {@link #stream(String, OutputStream)}, and the connection is handed to {@code opened} once
   * made: closing it (from another thread) ends the stream at once, as when its reader leaves.
   */
  public void stream(String path, OutputStream out, java.util.function.Consumer<java.io.Closeable> opened) {
    try (ApiConnection s = connect()) {
      opened.accept(s);
      s.readTimeout(0);
      ClientHttpResponse r = exchange(s, "GET", path, null, "text/plain", Map.of());
      if (r.status / 100 != 2) {
        throw errorOf(r, "GET", path);
      }
      byte[] buf = new byte[8192];
      for (int n = r.body.read(buf); n >= 0; n = r.body.read(buf)) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      throw new ApiException(0, "GET " + path + " from " + target.describe() + ": " + e.getMessage(), null);
    }
  }

  private JsonNode json(String method, String path, byte[] body) {
    try {
      Reply r = request(method, path, body, Map.of());
      if (r.status() / 100 != 2) {
        throw errorOf(r.status(), r.reason(), r.body(), method, path);
      }
      byte[] bytes = r.body();
      if (bytes.length == 0) {
        return NullNode.getInstance();
      }
      try {
        return JSON.readTree(bytes);
      } catch (IOException e) {
        throw new ApiException(r.status(), method + " " + path + " answered " + r.status() + " with a body that is not JSON: "
            + snippet(bytes), null);
      }
    } catch (SocketTimeoutException e) {
      throw new ApiException(0, method + " " + path + ": no answer from " + target.describe() + " within "
          + readTimeoutMillis / 1000 + " s", null);
    } catch (IOException e) {
      throw new ApiException(0, method + " " + path + " from " + target.describe() + ": " + e.getMessage(), null);
    }
  }

  /** An answer read whole. */
  private record Reply(int status, String reason, byte[] body) {}

  /** Raised when a reused connection turns out closed before any of the answer came: the request is sent again on a new one. */
  private static final class StaleConnection extends IOException {
    StaleConnection(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * One request on a kept-alive connection ({@link ConnectionPool}): an idle one to the same
   * target with the same TLS context when there is one, else a new one; given back when the answer
   * was read whole and the server keeps it. A reused connection the server had closed fails before
   * any answer, and the request goes once more on a new connection.
   */
  private Reply request(String method, String path, byte[] body, Map<String, String> headers) throws IOException {
    ConnectionPool.Key key = new ConnectionPool.Key(target, tls == null ? null : tls.currentContext());
    PooledConnection c = POOL.take(key);
    if (c != null) {
      try {
        return exchangeOn(c, key, method, path, body, headers);
      } catch (StaleConnection stale) {
        // the server closed it while it was idle: a new connection below
      }
    }
    return exchangeOn(new PooledConnection(connect()), key, method, path, body, headers);
  }

  private Reply exchangeOn(PooledConnection c, ConnectionPool.Key key, String method, String path, byte[] body,
      Map<String, String> headers) throws IOException {
    boolean reused = c.reused;
    boolean keep = false;
    try {
      c.readTimeout(readTimeoutMillis);
      try {
        writeHead(c.out, method, path, body, "application/json", headers, true);
        c.in.mark(1);
        if (c.in.read() < 0) {
          throw new java.io.EOFException("the server closed the connection");
        }
        c.in.reset();
      } catch (SocketTimeoutException slow) {
        throw slow;
      } catch (IOException e) {
        if (reused) {
          throw new StaleConnection(e.getMessage(), e);
        }
        throw e;
      }
      ClientHttpResponse r = ClientHttpResponse.read(c.in);
      byte[] bytes = r.readBody();
      keep = r.keepsConnection();
      return new Reply(r.status, r.reason, bytes);
    } finally {
      if (keep) {
        c.reused = true;
        POOL.give(key, c);
      } else {
        ConnectionPool.quietly(c);
      }
    }
  }

  private static final ConnectionPool POOL = new ConnectionPool();

  /** A request on a connection of its own ({@code Connection: close}): for streams. */
  private ClientHttpResponse exchange(ApiConnection s, String method, String path, byte[] body, String accept,
      Map<String, String> headers) throws IOException {
    writeHead(new java.io.BufferedOutputStream(s.out(), 8192), method, path, body, accept, headers, false);
    return ClientHttpResponse.read(new BufferedInputStream(s.in()));
  }

  private void writeHead(OutputStream o, String method, String path, byte[] body, String accept, Map<String, String> headers,
      boolean keepAlive) throws IOException {
    StringBuilder head = new StringBuilder()
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(target.address()).append("\r\n")
        .append("Accept: ").append(accept).append("\r\n")
        .append("User-Agent: meshctl\r\n")
        .append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    if (body != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
    } else if (!method.equals("GET")) {
      head.append("Content-Length: 0\r\n");
    }
    head.append("\r\n");
    o.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      o.write(body);
    }
    o.flush();
  }

  private ApiException errorOf(ClientHttpResponse r, String method, String path) throws IOException {
    return errorOf(r.status, r.reason, r.readBody(), method, path);
  }

  private ApiException errorOf(int status, String reason, byte[] bytes, String method, String path) {
    String error = null;
    String field = null;
    try {
      JsonNode j = JSON.readTree(bytes);
      if (j != null && j.isObject()) {
        error = j.path("error").isTextual() ? j.get("error").asText() : null;
        field = j.path("field").isTextual() ? j.get("field").asText() : null;
      }
    } catch (IOException notJson) {
      // fall through: the text itself is the error
    }
    if (error == null || error.isBlank()) {
      String text = new String(bytes, StandardCharsets.UTF_8).trim();
      error = method + " " + path + ": HTTP " + status + " " + reason + (text.isEmpty() ? "" : ": " + snippet(bytes));
    }
    return new ApiException(status, error, field);
  }

  /** Whether the target accepts a connection at all (a daemon listens there, and the handshake passes). */
  public boolean reachable() {
    try (ApiConnection s = connect()) {
      return true;
    } catch (ApiException | IOException e) {
      return false;
    }
  }

  private ApiConnection connect() {
    if (target.isLocalSocket()) {
      try {
        return ApiConnection.unix(target.socket());
      } catch (IOException e) {
        throw ApiException.unreachable(target, e);
      }
    }
    InetSocketAddress addr = new InetSocketAddress(target.host(), target.port());
    if (addr.isUnresolved()) {
      throw ApiException.unreachable(target, new IOException("unknown host " + target.host()));
    }
    Socket plain = target.namespace() == null ? open(addr) : inNamespace(addr);
    try {
      plain.setSoTimeout(Math.max(connectTimeoutMillis, 5_000)); // the handshake's reads
      return ApiConnection.of(tls.handshake(plain, target.host(), target.port()));
    } catch (IOException e) {
      try {
        plain.close();
      } catch (IOException ignored) {
        // the handshake failed; nothing more to say
      }
      throw new ApiException(0, "TLS with " + target.describe() + " failed: " + e.getMessage(), null);
    }
  }

  private Socket inNamespace(InetSocketAddress addr) {
    try (NetNamespace ns = NetNamespace.open(target.namespace())) {
      return ns.call(() -> open(addr));
    }
  }

  private Socket open(InetSocketAddress addr) {
    Socket s = new Socket();
    try {
      s.connect(addr, connectTimeoutMillis);
      s.setTcpNoDelay(true);
      return s;
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // nothing was opened
      }
      throw ApiException.unreachable(target, e);
    }
  }

  private static String snippet(byte[] bytes) {
    String s = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8).trim();
    return bytes.length > 300 ? s + "..." : s;
  }
}
