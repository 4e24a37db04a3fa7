package meshplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import meshplane.cluster.api.ApiClient;

/**
 * whoami through the published port against nginx published the same way (goal: whoami >= 0.8 x
 * nginx at 64 connections). Both are services of the lab, one task each on node2 (process
 * executor): {@code meshplane/whoami} publishing 8080 and nginx with the bench's configuration
 * ({@link Nginx#config}: 1 worker, access_log off, {@code return 200}, listen 80) publishing 8090.
 * wrk runs in the lab's client against node2's underlay address, so each request enters node2's
 * routing mesh (DNAT to ingress_sbox, which balances to the task over the ingress network): the
 * same path for both servers. Rounds: each server {@code wrk -t1 -c1}, then {@code wrk -t2 -c64},
 * the servers' order alternating from round to round; figures are medians of the rounds, the
 * ratio the median of the per-round ratios. Then whoami's RSS ({@code ps -o rss}), and both
 * services are removed.
 */
final class PublishedPortPhase implements BenchPhase {
  static final Path DIR = Path.of("/run/meshplane/bench-control");
  private static final int WHOAMI_PORT = 8080;
  private static final int NGINX_PORT = 8090;
  private static final double GOAL_RATIO = 0.8;
  private static final String GOAL_NAME = "whoami / nginx at 64 connections";
  private static final String GOAL_TARGET = ">= " + GOAL_RATIO;

  @Override
  public String title() {
    return "whoami and nginx through the published port";
  }

  @Override
  public List<Goal> notMeasured(String reason) {
    return List.of(Goal.notMeasured(GOAL_NAME, GOAL_TARGET, reason));
  }

  /** One server behind its published port, and its requests/s per round at 1 and 64 connections. */
  private record Server(String name, int port, List<Double> c1, List<Double> c64, List<Long> errors) {
    Server(String name, int port) {
      this(name, port, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  @Override
  public List<Goal> run(ControlLab lab, ControlOptions o, PrintStream out) {
    ApiClient api = lab.api(ControlLab.NODES.get(0));
    Path nginxDir = DIR.resolve("nginx");
    try {
      Files.createDirectories(nginxDir.resolve("tmp"));
      Files.writeString(nginxDir.resolve("nginx.conf"), Nginx.config(nginxDir));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the nginx configuration under " + nginxDir, e);
    }
    BenchServices.create(api, BenchServices.whoami("whoami", WHOAMI_PORT));
    BenchServices.create(api, BenchServices.nginx("nginx", NGINX_PORT, nginxDir.resolve("nginx.conf")));
    try {
      return measure(lab, api, o, out);
    } finally {
      for (String name : List.of("whoami", "nginx")) {
        try {
          BenchServices.remove(api, name);
        } catch (RuntimeException e) {
          out.println("  removing service " + name + ": " + e.getMessage());
        }
      }
    }
  }

  private List<Goal> measure(ControlLab lab, ApiClient api, ControlOptions o, PrintStream out) {
    String client = lab.clientNamespace();
    String address = lab.underlay(BenchServices.SERVING_NODE);
    List<Server> servers = List.of(new Server("whoami", WHOAMI_PORT), new Server("nginx", NGINX_PORT));
    for (Server s : servers) {
      awaitRunning(api, s.name(), 90_000);
      HttpGet.getOk(client, address, s.port(), "/", 30_000);
      Wrk.run(client, url(address, s), 2, 64, 2); // warm-up, not counted: JIT, neighbour entries
    }
    out.printf("  wrk from the client to %s (node2, which runs both tasks), %d s per run, %d round(s)%n", address, o.seconds(),
        o.rounds());
    List<Double> ratios = new ArrayList<>();
    for (int round = 0; round < o.rounds(); round++) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < servers.size(); i++) {
        Server s = servers.get((round + i) % servers.size());
        Wrk.Result one = Wrk.run(client, url(address, s), 1, 1, o.seconds());
        Wrk.Result many = Wrk.run(client, url(address, s), 2, 64, o.seconds());
        s.c1().add(one.rps());
        s.c64().add(many.rps());
        s.errors().add(one.errors() + many.errors());
        line.append(String.format("  %s c1 %.0f c64 %.0f", s.name(), one.rps(), many.rps()));
      }
      ratios.add(servers.get(0).c64().get(round) / servers.get(1).c64().get(round));
      out.printf("  round %d of %d:%s%n", round + 1, o.rounds(), line);
    }
    for (Server s : servers) {
      out.printf("%s through the published port: %.0f req/s at 1 connection, %.0f req/s at 64 (medians of %s and %s; errors %d)%n",
          s.name(), median(s.c1()), median(s.c64()), rounded(s.c1()), rounded(s.c64()),
          s.errors().stream().mapToLong(Long::longValue).sum());
    }
    double ratio = median(ratios);
    out.printf("whoami / nginx at 64 connections: %.2f (per round %s)%n", ratio, ratios.stream()
        .map(r -> String.format("%.2f", r)).toList());
    printRss(api, out);
    return List.of(Goal.measured(GOAL_NAME, GOAL_TARGET, String.format("%.2f", ratio), ratio >= GOAL_RATIO));
  }

  /** whoami's RSS per task (its JVM, ps -o rss), and nginx's (master and worker) beside it. */
  private static void printRss(ApiClient api, PrintStream out) {
    String whoamiClass = meshplane.whoami.Whoami.class.getName();
    for (JsonNode t : runningTasks(api, "whoami")) {
      List<TaskProcesses.Proc> jvm = TaskProcesses.of(t.path("id").asText()).stream()
          .filter(p -> p.program().equals("java") && p.cmdline().contains(whoamiClass)).toList();
      if (jvm.isEmpty()) {
        throw new IllegalStateException("task " + t.path("name").asText() + ": no process runs " + whoamiClass);
      }
      for (TaskProcesses.Proc p : jvm) {
        out.printf("whoami RSS per task: %,d KiB (task %s, pid %d, after the runs)%n", TaskProcesses.rssKiB(p.pid()),
            t.path("name").asText(), p.pid());
      }
    }
    for (JsonNode t : runningTasks(api, "nginx")) {
      long kib = 0;
      int n = 0;
      for (TaskProcesses.Proc p : TaskProcesses.of(t.path("id").asText())) {
        if (p.cmdline().startsWith("nginx:")) { // the master's and the worker's titles
          kib += TaskProcesses.rssKiB(p.pid());
          n++;
        }
      }
      out.printf("  nginx RSS for context: %,d KiB in %d processes (master and worker)%n", kib, n);
    }
  }

  private static List<JsonNode> runningTasks(ApiClient api, String service) {
    List<JsonNode> running = new ArrayList<>();
    for (JsonNode t : api.get("/v1/services/" + service + "/tasks")) {
      if ("RUNNING".equalsIgnoreCase(t.path("state").asText()) && "RUNNING".equalsIgnoreCase(t.path("desired").asText())) {
        running.add(t);
      }
    }
    return running;
  }

  private static void awaitRunning(ApiClient api, String service, long limitMillis) {
    Deadline d = Deadline.in(limitMillis);
    JsonNode s = api.get("/v1/services/" + service);
    while (s.path("running").asLong() < 1) {
      if (d.passed()) {
        throw new IllegalStateException("service " + service + ": no task running after " + limitMillis / 1000 + " s; tasks: "
            + api.get("/v1/services/" + service + "/tasks"));
      }
      Sleep.millis(250);
      s = api.get("/v1/services/" + service);
    }
  }

  private static String url(String address, Server s) {
    return "http://" + address + ":" + s.port() + "/";
  }

  static double median(List<Double> xs) {
    List<Double> sorted = xs.stream().sorted().toList();
    int n = sorted.size();
    return n == 0 ? Double.NaN : n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  private static List<Long> rounded(List<Double> xs) {
    return xs.stream().map(Math::round).toList();
  }
}
