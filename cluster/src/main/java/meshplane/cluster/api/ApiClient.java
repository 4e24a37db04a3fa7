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
import meshplane.netlink.NetNamespace;

/**
 * The meshplane API's client (meshctl's and the agents'): HTTP/1.1 with JSON bodies over a plain
 * socket, one connection per request ({@code Connection: close}). The socket is opened inside
 * the target's network namespace when it has one (a lab node), and keeps that namespace for its
 * life. A non-2xx answer becomes an {@link ApiException} with the body's {@code error} and
 * {@code field}; no answer at all becomes {@link ApiException#unreachable}.
 */
public final class ApiClient {
  /** The API's mapper ({@link ApiJson#MAPPER}). */
  public static final ObjectMapper JSON = ApiJson.MAPPER;

  private final ApiTarget target;
  private final int connectTimeoutMillis;
  private final int readTimeoutMillis;

  public ApiClient(ApiTarget target) {
    this(target, 5_000, 120_000);
  }

  public ApiClient(ApiTarget target, int connectTimeoutMillis, int readTimeoutMillis) {
    this.target = target;
    this.connectTimeoutMillis = connectTimeoutMillis;
    this.readTimeoutMillis = readTimeoutMillis;
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
    try (Socket s = connect()) {
      s.setSoTimeout(0);
      ClientHttpResponse r = exchange(s, "GET", path, null, "text/plain");
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
    try (Socket s = connect()) {
      s.setSoTimeout(readTimeoutMillis);
      ClientHttpResponse r = exchange(s, method, path, body, "application/json");
      if (r.status / 100 != 2) {
        throw errorOf(r, method, path);
      }
      byte[] bytes = r.readBody();
      if (bytes.length == 0) {
        return NullNode.getInstance();
      }
      try {
        return JSON.readTree(bytes);
      } catch (IOException e) {
        throw new ApiException(r.status, method + " " + path + " answered " + r.status + " with a body that is not JSON: "
            + snippet(bytes), null);
      }
    } catch (SocketTimeoutException e) {
      throw new ApiException(0, method + " " + path + ": no answer from " + target.describe() + " within "
          + readTimeoutMillis / 1000 + " s", null);
    } catch (IOException e) {
      throw new ApiException(0, method + " " + path + " from " + target.describe() + ": " + e.getMessage(), null);
    }
  }

  private ClientHttpResponse exchange(Socket s, String method, String path, byte[] body, String accept) throws IOException {
    StringBuilder head = new StringBuilder()
        .append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(target.address()).append("\r\n")
        .append("Accept: ").append(accept).append("\r\n")
        .append("User-Agent: meshctl\r\n")
        .append("Connection: close\r\n");
    if (body != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ").append(body.length).append("\r\n");
    } else if (!method.equals("GET")) {
      head.append("Content-Length: 0\r\n");
    }
    head.append("\r\n");
    OutputStream o = s.getOutputStream();
    o.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (body != null) {
      o.write(body);
    }
    o.flush();
    InputStream in = new BufferedInputStream(s.getInputStream());
    return ClientHttpResponse.read(in);
  }

  private ApiException errorOf(ClientHttpResponse r, String method, String path) throws IOException {
    byte[] bytes = r.readBody();
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
      error = method + " " + path + ": HTTP " + r.status + " " + r.reason + (text.isEmpty() ? "" : ": " + snippet(bytes));
    }
    return new ApiException(r.status, error, field);
  }

  /** Whether the target accepts a connection at all (a daemon listens there). */
  public boolean reachable() {
    try (Socket s = connect()) {
      return true;
    } catch (ApiException | IOException e) {
      return false;
    }
  }

  private Socket connect() {
    InetSocketAddress addr = new InetSocketAddress(target.host(), target.port());
    if (addr.isUnresolved()) {
      throw ApiException.unreachable(target, new IOException("unknown host " + target.host()));
    }
    if (target.namespace() == null) {
      return open(addr);
    }
    try (NetNamespace ns = NetNamespace.open(target.namespace())) {
      return ns.call(() -> open(addr));
    }
  }

  private Socket open(InetSocketAddress addr) {
    Socket s = new Socket();
    try {
      s.connect(addr, connectTimeoutMillis);
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
