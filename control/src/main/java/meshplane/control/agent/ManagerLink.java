package meshplane.control.agent;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import meshplane.control.api.ApiJson;
import meshplane.control.model.ClusterState;
import meshplane.control.model.TaskReport;

/**
 * The agent's calls to the managers: heartbeats and the state long poll. It keeps every
 * manager's API address and moves to the next when one does not answer, so an agent survives
 * the loss of any manager (followers pass heartbeats on to the leader).
 */
final class ManagerLink {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final List<String> managers = new CopyOnWriteArrayList<>();
  private volatile int current;

  ManagerLink(List<String> managers) {
    this.managers.addAll(managers);
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
  long heartbeat(String nodeId, List<TaskReport> reports) throws IOException, InterruptedException {
    byte[] body = ApiJson.MAPPER.writeValueAsBytes(Map.of("nodeId", nodeId, "reports", reports));
    HttpResponse<byte[]> r = send("/v1/agent/heartbeat", HttpRequest.BodyPublishers.ofByteArray(body), "POST", Duration.ofSeconds(10));
    return ApiJson.MAPPER.readTree(r.body()).path("heartbeatMillis").asLong(5000);
  }

  ClusterState state(long since) throws IOException, InterruptedException {
    HttpResponse<byte[]> r = send("/v1/agent/state?since=" + since, HttpRequest.BodyPublishers.noBody(), "GET", Duration.ofSeconds(40));
    return ApiJson.MAPPER.readValue(r.body(), ClusterState.class);
  }

  private HttpResponse<byte[]> send(String path, HttpRequest.BodyPublisher body, String method, Duration timeout)
      throws IOException, InterruptedException {
    IOException last = null;
    int tries = Math.max(1, managers.size());
    for (int i = 0; i < tries; i++) {
      String m = using();
      if (m == null) {
        throw new IOException("no manager known");
      }
      try {
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://" + m + path)).timeout(timeout)
            .header("Content-Type", "application/json").method(method, body).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 200) {
          return r;
        }
        last = new IOException(m + " answered " + r.statusCode() + ": " + new String(r.body()));
        if (r.statusCode() < 500) {
          throw last;
        }
      } catch (IOException e) {
        last = e instanceof java.net.http.HttpTimeoutException ? new IOException(m + " did not answer in time", e) : e;
      }
      current++;
    }
    throw last;
  }
}
