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

  /** At most this many tasks' logs in one answer (a reader thread and a connection each): live ones first, then the newest. */
  static final int MAX_TASKS = 32;

  /**
   * The answer's writer starts a reader per task and waits for them. When the answer's client
   * leaves, the API server interrupts the writer, which closes every upstream connection: the
   * readers end at once (a quiet follow would otherwise hold its thread and connection for ever).
   * A client that does not read blocks the readers' writes, so they stop reading from the nodes.
   */
  ApiResponse stream(ClusterState s, Service svc, boolean follow, int tail) {
    List<Task> all = s.tasksOf(svc.id()).stream().filter(t -> t.nodeId() != null && s.nodes().containsKey(t.nodeId()))
        .sorted(java.util.Comparator.comparing(Task::live).thenComparingLong(Task::createdAt).reversed()).toList();
    List<Task> tasks = all.subList(0, Math.min(all.size(), MAX_TASKS));
    return new ApiResponse.Stream("text/plain; charset=utf-8", out -> {
      if (all.size() > tasks.size()) {
        line(out, "(the logs of " + tasks.size() + " of " + all.size() + " tasks: at most " + MAX_TASKS + " in one answer)");
      }
      Upstreams upstreams = new Upstreams();
      List<Thread> readers = new ArrayList<>();
      for (Task t : tasks) {
        Node n = s.nodes().get(t.nodeId());
        String prefix = t.name() + "@" + n.hostname() + "    | ";
        Thread th = new Thread(() -> copy(n, t, follow, tail, prefix, out, upstreams), "logs-" + t.shortId());
        th.setDaemon(true);
        th.start();
        readers.add(th);
      }
      try {
        for (Thread th : readers) {
          th.join();
        }
      } finally {
        upstreams.closeAll();
      }
    });
  }

  private void copy(Node n, Task t, boolean follow, int tail, String prefix, OutputStream out, Upstreams upstreams) {
    String path = "/v1/tasks/" + t.id() + "/logs?follow=" + follow + (tail >= 0 ? "&tail=" + tail : "");
    OutputStream lines = new LineWriter(out, prefix);
    try {
      new ApiClient(ApiTarget.parse(n.apiAddress(), "node " + n.hostname()), tls, 2_000, 0).stream(path, lines, upstreams::add);
      lines.flush();
    } catch (ApiException e) {
      if (upstreams.closed()) {
        return; // the answer's client left
      }
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

  /** The open connections to the nodes of one answer; closed all at once when it ends, and any opened later at once. */
  private static final class Upstreams {
    private final List<java.io.Closeable> open = new ArrayList<>();
    private boolean closed;

    synchronized void add(java.io.Closeable c) {
      if (closed) {
        quietly(c);
      } else {
        open.add(c);
      }
    }

    synchronized boolean closed() {
      return closed;
    }

    synchronized void closeAll() {
      closed = true;
      open.forEach(Upstreams::quietly);
      open.clear();
    }

    private static void quietly(java.io.Closeable c) {
      try {
        c.close();
      } catch (IOException ignored) {
        // closing to end the stream: nothing more to do
      }
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
