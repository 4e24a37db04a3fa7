package meshplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import meshplane.cluster.api.ApiClient;

/**
 * Waits for a service to converge as {@code docker service create} without {@code --detach} does:
 * polls the service and its tasks every 500 ms, prints the progress block whenever it changes,
 * and ends with {@code verify: Service converged}, the failed task's message, or a timeout.
 */
final class ProgressPrinter {
  static final long POLL_MILLIS = 500;

  private ProgressPrinter() {}

  /** True when the service converged; false (and a line saying why) when a task failed or time ran out. */
  static boolean await(ApiClient api, String service, long timeoutMillis, PrintWriter out) {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    String shown = null;
    TaskProgress p = null;
    while (true) {
      JsonNode svc = api.get(ServiceCommand.path(service));
      JsonNode tasks = api.get(ServiceCommand.path(service) + "/tasks");
      p = TaskProgress.of(svc, Json.items(tasks, "tasks"));
      String block = String.join("\n", p.lines());
      if (!block.equals(shown)) {
        out.println(block);
        out.flush();
        shown = block;
      }
      if (p.status() == TaskProgress.Status.CONVERGED) {
        out.println("verify: Service converged");
        out.flush();
        return true;
      }
      if (p.status() == TaskProgress.Status.FAILED) {
        out.println("verify: Service did not converge: " + p.error());
        out.flush();
        return false;
      }
      if (System.nanoTime() > deadline) {
        out.printf("verify: timed out after %s waiting for %s to converge (%d of %d tasks running); "
            + "meshctl service ps %s shows why%n", Durations.format(timeoutMillis), service, p.running(), p.desired(), service);
        out.flush();
        return false;
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }
}
