package meshplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiTarget;

/**
 * The size on the wire of the assignment a manager sends a node: the body of
 * {@code GET /v1/agent/assignment?node=ID&timeoutMs=0} (answered at once with the current one),
 * counted in bytes as the agent receives it, with its version and number of tasks.
 */
record AssignmentSize(String node, int bytes, long version, int tasks) {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

  /** Asks the manager of {@code askNamespace} (127.0.0.1:2377 there) for node {@code node}'s assignment. */
  static AssignmentSize of(String askNamespace, String node, String nodeId) {
    String path = "/v1/agent/assignment?node=" + nodeId + "&timeoutMs=0";
    String response = HttpGet.get(askNamespace, "127.0.0.1", ApiTarget.DEFAULT_PORT, path, 10_000);
    int split = response.indexOf("\r\n\r\n");
    if (!(response.startsWith("HTTP/1.1 200") || response.startsWith("HTTP/1.0 200")) || split < 0) {
      throw new IllegalStateException("GET " + path + " for " + node + ": " + response.lines().findFirst().orElse("no answer"));
    }
    byte[] body = response.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1); // HttpGet keeps one char per byte
    Matcher m = CONTENT_LENGTH.matcher(response.substring(0, split));
    if (m.find() && Integer.parseInt(m.group(1)) != body.length) {
      throw new IllegalStateException("GET " + path + " for " + node + ": Content-Length " + m.group(1) + " but " + body.length + " bytes");
    }
    try {
      JsonNode a = ApiClient.JSON.readTree(body);
      return new AssignmentSize(node, body.length, a.path("version").asLong(-1), a.path("tasks").size());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " for " + node + ": the body is not JSON: " + e.getMessage(), e);
    }
  }

  /** {@code node3 1,234 bytes (0 tasks, version 56)}. */
  String text() {
    return String.format("%s %,d bytes (%d tasks, version %d)", node, bytes, tasks, version);
  }
}
