package meshplane.node.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiJson;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.assignment.Assignment;
import meshplane.cluster.model.TaskReport;

/**
 * The agent's calls to the managers, over mutual TLS with the node's certificate (which names
 * the node: the calls do not): heartbeats and the state long poll. It keeps every
 * manager's API address and moves to the next when one does not answer, so an agent survives
 * the loss of any manager (followers pass heartbeats on to the leader).
 */
final class ManagerLink {
  private final List<String> managers = new CopyOnWriteArrayList<>();
  private final ClientTls tls;
  private volatile int current;

  ManagerLink(List<String> managers, ClientTls tls) {
    this.managers.addAll(managers);
    this.tls = tls;
  }

  /** The managers as the latest state lists them (the one in use stays first). */
  void managers(List<String> latest) {
    if (latest.isEmpty() || latest.equals(managers)) {
      return;
    }
    String using = using();
    List<String> next = new ArrayList<>(latest);
    if (using != null && next.remove(using)) {
      next.add(0, using);
    }
    managers.clear();
    managers.addAll(next);
    current = 0;
  }

  List<String> managers() {
    return List.copyOf(managers);
  }

  String using() {
    List<String> m = managers;
    return m.isEmpty() ? null : m.get(Math.floorMod(current, m.size()));
  }

  /** Returns the heartbeat period the leader asks for. */
  long heartbeat(List<TaskReport> reports) throws IOException {
    JsonNode a = call(c -> c.post("/v1/agent/heartbeat", Map.of("reports", reports)), 10_000);
    return a.path("heartbeatMillis").asLong(5000);
  }

  /** This node's assignment once its version is above {@code since} (or the current one after the poll's timeout). */
  Assignment assignment(long since) throws IOException {
    JsonNode a = call(c -> c.get("/v1/agent/assignment?since=" + since), 40_000);
    return ApiJson.MAPPER.treeToValue(a, Assignment.class);
  }

  /**
   * One request with meshctl's client, to the manager in use; a manager that does not answer, or
   * answers 5xx, makes the next one current and the request is tried there.
   */
  private JsonNode call(Function<ApiClient, JsonNode> request, int timeoutMillis) throws IOException {
    IOException last = null;
    int tries = Math.max(1, managers.size());
    for (int i = 0; i < tries; i++) {
      String m = using();
      if (m == null) {
        throw new IOException("no manager known");
      }
      try {
        return request.apply(new ApiClient(ApiTarget.parse(m, "manager"), tls, 2_000, timeoutMillis));
      } catch (ApiException e) {
        last = new IOException(m + (e.status() == 0 ? ": " : " answered " + e.status() + ": ") + e.error(), e);
        if (e.status() != 0 && e.status() < 500) {
          throw last;
        }
      }
      current++;
    }
    throw last;
  }
}
