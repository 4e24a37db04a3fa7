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
import meshplane.cluster.model.ClusterState;

/**
 * Node agents as they poll today, without the rest of the daemon: each thread long-polls
 * {@code /v1/agent/state?since=N} and decodes the answer to a {@link ClusterState}, as
 * {@code ManagerLink.state} does, until closed. What a lab's nodes cost the manager's CPU.
 */
final class StatePollers implements AutoCloseable {
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong polls = new AtomicLong();
  private final List<Thread> threads = new ArrayList<>();

  StatePollers(ApiTarget target, int count) {
    for (int i = 0; i < count; i++) {
      Thread t = new Thread(() -> poll(new ApiClient(target, 2_000, 40_000)), "bench-agent-poll-" + i);
      t.setDaemon(true);
      t.start();
      threads.add(t);
    }
  }

  private void poll(ApiClient client) {
    long since = -1;
    while (running.get()) {
      try {
        JsonNode a = client.get("/v1/agent/state?since=" + since + "&timeoutMs=1000");
        ClusterState s = ApiJson.MAPPER.treeToValue(a, ClusterState.class);
        since = s.index();
        polls.incrementAndGet();
      } catch (ApiException | com.fasterxml.jackson.core.JsonProcessingException e) {
        if (running.get()) {
          System.err.println("bench-control: state poll failed: " + e.getMessage());
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
