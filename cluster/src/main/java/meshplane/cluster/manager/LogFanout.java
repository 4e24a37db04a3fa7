package meshplane.cluster.manager;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.Task;

/**
 * {@code service logs}: each task's output is fetched from the node that ran it
 * ({@code GET /v1/tasks/{id}/logs} there), and the lines are written as they come, each prefixed
 * with the task's name and node as {@code docker service logs} does.
 */
final class LogFanout {
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  ApiResponse stream(ClusterState s, Service svc, boolean follow, int tail) {
    List<Task> tasks = s.tasksOf(svc.id()).stream().filter(t -> t.nodeId() != null && s.nodes().containsKey(t.nodeId())).toList();
    return new ApiResponse.Stream("text/plain; charset=utf-8", out -> {
      List<Thread> readers = new ArrayList<>();
      for (Task t : tasks) {
        Node n = s.nodes().get(t.nodeId());
        String prefix = t.name() + "@" + n.hostname() + "    | ";
        Thread th = new Thread(() -> copy(n, t, follow, tail, prefix, out), "logs-" + t.shortId());
        th.setDaemon(true);
        th.start();
        readers.add(th);
      }
      for (Thread th : readers) {
        th.join();
      }
    });
  }

  private void copy(Node n, Task t, boolean follow, int tail, String prefix, OutputStream out) {
    URI uri = URI.create("http://" + n.apiAddress() + "/v1/tasks/" + t.id() + "/logs?follow=" + follow
        + (tail >= 0 ? "&tail=" + tail : ""));
    try {
      HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      try (BufferedReader in = new BufferedReader(new InputStreamReader(resp.body(), StandardCharsets.UTF_8))) {
        if (resp.statusCode() != 200) {
          line(out, prefix + "(no logs: " + n.hostname() + " answered " + resp.statusCode() + ")");
          return;
        }
        String l;
        while ((l = in.readLine()) != null) {
          line(out, prefix + l);
        }
      }
    } catch (IOException e) {
      try {
        line(out, prefix + "(no logs: cannot reach " + n.hostname() + " at " + n.apiAddress() + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
      } catch (IOException gone) {
        // the client went away
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void line(OutputStream out, String text) throws IOException {
    byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(b, 0, b.length);
    }
  }
}
