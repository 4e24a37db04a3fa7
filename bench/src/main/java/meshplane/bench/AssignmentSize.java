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
 * counted in bytes as the agent receives it (the body, as its certificate asks for it), with its
 * version and number of tasks.
 */
record AssignmentSize(String node, int bytes, long version, int tasks) {
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length:\\s*(\\d+)\\s*$");

  /** Asks {@code manager} for node {@code node}'s assignment, as that node (its certificate), over mutual TLS. */
  static AssignmentSize of(ControlLab lab, String manager, String node, String nodeId) {
    String path = "/v1/agent/assignment?node=" + nodeId + "&timeoutMs=0";
    ApiClient.Answer a = lab.asNode(node, manager).send("GET", path, null, java.util.Map.of());
    if (a.status() != 200) {
      throw new IllegalStateException("GET " + path + " for " + node + ": " + a.status() + " "
          + new String(a.body(), StandardCharsets.UTF_8));
    }
    try {
      JsonNode j = ApiClient.JSON.readTree(a.body());
      return new AssignmentSize(node, a.body().length, j.path("version").asLong(-1), j.path("tasks").size());
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path + " for " + node + ": the body is not JSON: " + e.getMessage(), e);
    }
  }

  /** {@code node3 1,234 bytes (0 tasks, version 56)}. */
  String text() {
    return String.format("%s %,d bytes (%d tasks, version %d)", node, bytes, tasks, version);
  }
}
