package meshplane.cluster.manager;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.ClientTls;
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
  private final ClientTls tls;

  /** {@code tls}: the manager's own certificate, to any node (the task's node serves its logs). */
  LogFanout(ClientTls tls) {
    this.tls = tls;
  }

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
    String path = "/v1/tasks/" + t.id() + "/logs?follow=" + follow + (tail >= 0 ? "&tail=" + tail : "");
    OutputStream lines = new LineWriter(out, prefix);
    try {
      new ApiClient(ApiTarget.parse(n.apiAddress(), "node " + n.hostname()), tls, 2_000, 0).stream(path, lines);
      lines.flush();
    } catch (ApiException e) {
      try {
        line(out, prefix + "(no logs: " + n.hostname() + (e.status() == 0 ? ": " : " answered " + e.status() + ": ")
            + e.error() + ")");
      } catch (IOException gone) {
        // the client went away
      }
    } catch (IOException gone) {
      // the client went away
    }
  }

  /** Splits what it is given into lines, each written whole with {@code prefix}. */
  private static final class LineWriter extends OutputStream {
    private final OutputStream out;
    private final String prefix;
    private final java.io.ByteArrayOutputStream pending = new java.io.ByteArrayOutputStream();

    LineWriter(OutputStream out, String prefix) {
      this.out = out;
      this.prefix = prefix;
    }

    @Override
    public void write(int b) throws IOException {
      if (b == '\n') {
        line(out, prefix + pending.toString(StandardCharsets.UTF_8));
        pending.reset();
      } else {
        pending.write(b);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }

    /** A last line without its newline. */
    @Override
    public void flush() throws IOException {
      if (pending.size() > 0) {
        write('\n');
      }
    }
  }

  private static void line(OutputStream out, String text) throws IOException {
    byte[] b = (text + "\n").getBytes(StandardCharsets.UTF_8);
    synchronized (out) {
      out.write(b, 0, b.length);
    }
  }
}
