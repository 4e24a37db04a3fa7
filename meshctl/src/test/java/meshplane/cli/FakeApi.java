package meshplane.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A stand-in API on 127.0.0.1 for CLI tests: answers canned JSON per "METHOD /path" (query
 * ignored) and records every request, so a test sees the exact bodies meshctl sends.
 */
final class FakeApi implements AutoCloseable {
  record Request(String method, String path, String query, String body) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Supplier<String>> answers = new ConcurrentHashMap<>();
  private final HttpServer server;

  FakeApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", x -> {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String path = x.getRequestURI().getPath();
      requests.add(new Request(x.getRequestMethod(), path, x.getRequestURI().getQuery(), body));
      Supplier<String> a = answers.get(x.getRequestMethod() + " " + path);
      int status = a == null ? 404 : 200;
      String text = a == null ? "{\"error\":\"no route " + path + "\"}" : a.get();
      if (text.startsWith("!")) { // "!409 {...}": an error answer
        status = Integer.parseInt(text.substring(1, 4));
        text = text.substring(5);
      }
      byte[] b = text.getBytes(StandardCharsets.UTF_8);
      x.sendResponseHeaders(status, b.length);
      try (OutputStream o = x.getResponseBody()) {
        o.write(b);
      }
    });
    server.start();
  }

  FakeApi answer(String methodAndPath, String json) {
    answers.put(methodAndPath, () -> json);
    return this;
  }

  FakeApi answer(String methodAndPath, Supplier<String> json) {
    answers.put(methodAndPath, json);
    return this;
  }

  String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  Request only(String method, String path) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + method + " " + path + " among " + requests));
  }

  /**
   * Runs meshctl with {@code --host} pointing here put right after the subcommand words (one for
   * publish and unpublish, else two), before any positional.
   */
  MeshctlTest.Run meshctl(String... args) {
    int words = args[0].equals("publish") || args[0].equals("unpublish") ? 1 : 2;
    String[] all = new String[args.length + 1];
    System.arraycopy(args, 0, all, 0, words);
    all[words] = "--host=" + host();
    System.arraycopy(args, words, all, words + 1, args.length - words);
    return MeshctlTest.meshctl(all);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
