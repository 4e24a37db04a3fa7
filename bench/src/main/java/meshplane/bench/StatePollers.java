package meshplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiJson;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.assignment.Assignment;

/**
 * Node agents as they poll, without the rest of the daemon: each thread long-polls node
 * {@code nodeId}'s assignment ({@code /v1/agent/assignment?node=ID&since=V}) and decodes it to an
 * {@link Assignment}, as {@code ManagerLink.assignment} does, until closed. What a lab's nodes
 * cost the manager's CPU.
 */
final class StatePollers implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong polls = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  StatePollers(ApiTarget target, meshplane.cluster.api.ClientTls tls, String nodeId, int count) {
    for (int i = 0; i < count; i++) {
      Thread t = new Thread(() -> poll(new ApiClient(target, tls, 2_000, 40_000), nodeId), "bench-agent-poll-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  private void poll(ApiClient client, String nodeId) {
    long since = -1;
    while (running.get()) {
      try {
        JsonNode a = client.get("/v1/agent/assignment?node=" + nodeId + "&since=" + since + "&timeoutMs=1000");
        Assignment s = ApiJson.MAPPER.treeToValue(a, Assignment.class);
        since = s.version();
        polls.incrementAndGet();
      } catch (ApiException | com.fasterxml.jackson.core.JsonProcessingException e) {
        if (running.get()) {
          System.err.println("bench-control: assignment poll failed: " + e.getMessage());
        }
      }
    }
  }

  long polls() {
    return polls.get();
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(5_000);
    }
  }
}
