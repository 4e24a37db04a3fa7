package meshplane.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import meshplane.cluster.api.ApiJson;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.api.ApiServer;
import meshplane.cluster.api.Router;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * A stand-in API on a unix socket for CLI tests: answers canned JSON per "METHOD /path" (query
 * ignored) and records every request, so a test sees the exact bodies meshctl sends.
 */
final class FakeApi implements AutoCloseable {
  record Request(String method, String path, String query, String body) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Supplier<String>> answers = new ConcurrentHashMap<>();
  private final java.nio.file.Path dir;
  private final ApiServer server;

  /** On a unix socket of its own, as a daemon's local API (meshctl's default way in). */
  FakeApi() throws IOException {
    dir = java.nio.file.Files.createTempDirectory("mpt-fake-api");
    Router router = new Router();
    router.fallback(r -> {
      String path = r.path();
      String query = r.query().isEmpty() ? null : r.query().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
          .sorted().collect(java.util.stream.Collectors.joining("&"));
      requests.add(new Request(r.method(), path, query, new String(r.body(), StandardCharsets.UTF_8)));
      Supplier<String> a = answers.get(r.method() + " " + path);
      int status = a == null ? 404 : 200;
      String text = a == null ? "{\"error\":\"no route " + path + "\"}" : a.get();
      if (text.startsWith("!")) { // "!409 {...}": an error answer
        status = Integer.parseInt(text.substring(1, 4));
        text = text.substring(5);
      }
      try {
        return CompletableFuture.completedFuture(new ApiResponse.Json(status, ApiJson.MAPPER.readTree(text)));
      } catch (IOException notJson) { // a log's lines
        byte[] lines = text.getBytes(StandardCharsets.UTF_8);
        return CompletableFuture.completedFuture(new ApiResponse.Stream("text/plain; charset=utf-8", out -> out.write(lines)));
      }
    });
    server = ApiServer.unix(router, dir.resolve("api.sock"));
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
    return "unix://" + dir.resolve("api.sock");
  }

  /** The latest request of {@code method} to {@code path}. */
  Request last(String method, String path) {
    return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("no " + method + " " + path + " among " + requests));
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
    server.close();
    try {
      java.nio.file.Files.deleteIfExists(dir.resolve("api.sock"));
      java.nio.file.Files.deleteIfExists(dir);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
