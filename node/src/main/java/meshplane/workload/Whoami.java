package meshplane.workload;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The built-in workload {@code meshplane/whoami}, after containous/whoami: an HTTP server that
 * answers every request with what it sees of itself and of the request (the format is
 * {@link WhoamiAnswer}'s), and {@code GET /health} with {@code ok}. It prints one line when
 * listening and one line per request to stdout, which is the task's log.
 *
 * <p>{@code Whoami [--port N] [--name NAME]}: the port defaults to {@code $WHOAMI_PORT}, else 80.
 */
public final class Whoami implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService workers;
  private final String name;

  private Whoami(HttpServer server, ExecutorService workers, String name) {
    this.server = server;
    this.workers = workers;
    this.name = name;
  }

  public static void main(String[] args) {
    WhoamiOptions options;
    try {
      options = WhoamiOptions.parse(List.of(args), System.getenv("WHOAMI_PORT"));
    } catch (IllegalArgumentException e) {
      System.err.println("whoami: " + e.getMessage());
      System.err.println("usage: whoami [--port N] [--name NAME]");
      System.exit(2);
      return;
    }
    Whoami whoami = bind(new InetSocketAddress(options.port()), options.name());
    System.out.println("whoami listening on :" + whoami.port());
    System.out.flush();
    whoami.server.start();
  }

  /** Listens on {@code address} (port 0: any free port) and serves; {@code name} may be null. */
  public static Whoami start(InetSocketAddress address, String name) {
    Whoami whoami = bind(address, name);
    whoami.server.start();
    return whoami;
  }

  /** Bound and listening (connections wait in the backlog), not yet serving. */
  private static Whoami bind(InetSocketAddress address, String name) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 64);
    } catch (IOException e) {
      throw new UncheckedIOException("whoami cannot listen on " + address + ": " + e.getMessage(), e);
    }
    ExecutorService workers = Executors.newFixedThreadPool(4);
    Whoami whoami = new Whoami(server, workers, name);
    server.createContext("/", whoami::handle);
    server.setExecutor(workers);
    return whoami;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      drain(exchange.getRequestBody());
      String body = "GET".equals(exchange.getRequestMethod()) && "/health".equals(exchange.getRequestURI().getPath())
          ? "ok\n"
          : WhoamiAnswer.of(name, exchange).text();
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(200, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
      log(exchange, 200);
    }
  }

  private static void drain(InputStream in) throws IOException {
    byte[] buffer = new byte[8192];
    while (in.read(buffer) >= 0) {
      // a request body is read and dropped, so the connection can be reused
    }
  }

  private static void log(HttpExchange exchange, int status) {
    InetAddress client = exchange.getRemoteAddress().getAddress();
    System.out.println(Instant.now() + " " + client.getHostAddress() + " " + exchange.getRequestMethod() + " "
        + exchange.getRequestURI() + " " + exchange.getProtocol() + " " + status);
    System.out.flush();
  }
}
