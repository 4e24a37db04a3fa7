package meshplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import meshplane.cluster.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshctl service create|ls|ps|inspect|scale|update|rm|logs}, as {@code docker service}. */
@Command(name = "service", mixinStandardHelpOptions = true, description = "Manage services.",
    subcommands = {ServiceCreateCommand.class, ServiceCommand.Ls.class, ServiceCommand.Ps.class, ServiceCommand.Inspect.class,
        ServiceCommand.Scale.class, ServiceUpdateCommand.class, ServiceCommand.Rm.class, ServiceCommand.Logs.class})
final class ServiceCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is missing: create, ls, ps, inspect, scale, update, rm or logs");
  }

  static String path(String service) {
    return "/v1/services/" + Json.seg(service);
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the services.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(table(Json.items(api.client().get("/v1/services"), "services")));
      return 0;
    }

    /**
     * ID, NAME, MODE, REPLICAS (running/desired: the answer's {@code running} and {@code desired},
     * desired defaulting to the spec's replicas), IMAGE, PORTS ({@code *:8080->80/tcp}); by name.
     */
    static String table(List<JsonNode> services) {
      List<List<String>> rows = new ArrayList<>();
      services.stream().sorted(Comparator.comparing(s -> Json.text(s.path("spec"), "name"))).forEach(s -> {
        JsonNode spec = s.path("spec");
        int desired = s.has("desired") ? s.path("desired").asInt() : spec.path("replicas").asInt();
        rows.add(List.of(Json.shortId(Json.text(s, "id"), 12), Json.text(spec, "name"), Json.lower(spec, "mode"),
            s.path("running").asInt() + "/" + desired, Json.text(spec, "image"), ports(spec.path("ports"))));
      });
      return Tables.render(List.of("ID", "NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"), rows);
    }

    static String ports(JsonNode ports) {
      List<String> out = new ArrayList<>();
      ports.forEach(p -> out.add(ServiceFlags.portText(p.path("published").asInt(), p.path("target").asInt(), Json.text(p, "protocol"))));
      return String.join(",", out);
    }
  }

  @Command(name = "ps", mixinStandardHelpOptions = true, description = "List a service's tasks, with their history.")
  static final class Ps implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Parameters(index = "0", paramLabel = "SERVICE") String service;

    @Override
    public Integer call() {
      ApiClient c = api.client();
      String image = Json.text(c.get(path(service)).path("spec"), "image");
      JsonNode tasks = c.get(path(service) + "/tasks");
      spec.commandLine().getOut().print(table(Json.items(tasks, "tasks"), image, System.currentTimeMillis()));
      return 0;
    }

    /**
     * ID (short id), NAME ({@code web.1}, history rows {@code \_ web.1}), IMAGE, NODE (the task's
     * {@code nodeHostname}, else its node id), DESIRED STATE, CURRENT STATE ({@code Running 5 seconds
     * ago}), ERROR; grouped by slot (node for global tasks), newest first. IMAGE is the task's
     * {@code image} when the answer has one, else {@code serviceImage}.
     */
    static String table(List<JsonNode> tasks, String serviceImage, long now) {
      Comparator<JsonNode> bySlot = Comparator.comparingInt((JsonNode t) -> t.path("slot").asInt())
          .thenComparing(t -> t.path("slot").asInt() > 0 ? "" : Json.text(t, "nodeId"));
      List<JsonNode> sorted = tasks.stream().sorted(bySlot
          .thenComparing(Comparator.comparingLong((JsonNode t) -> t.path("createdAt").asLong()).reversed())
          .thenComparing(t -> Json.text(t, "id"))).toList();
      List<List<String>> rows = new ArrayList<>();
      JsonNode prev = null;
      for (JsonNode t : sorted) {
        boolean history = prev != null && bySlot.compare(prev, t) == 0;
        int slot = t.path("slot").asInt();
        String name = Json.text(t, "serviceName") + "." + (slot > 0 ? String.valueOf(slot) : Json.text(t, "nodeId"));
        String state = Json.lower(t, "state");
        String message = Json.text(t, "message");
        boolean ended = state.equals("failed") || state.equals("rejected");
        rows.add(List.of(Json.shortId(Json.text(t, "id"), 10), (history ? " \\_ " : "") + name,
            t.hasNonNull("image") ? Json.text(t, "image") : serviceImage,
            nodeOf(t), Json.capital(Json.lower(t, "desired")),
            Json.capital(state) + " " + ago(now - t.path("updatedAt").asLong()),
            ended && !message.isEmpty() ? "\"" + message + "\"" : ""));
        prev = t;
      }
      return Tables.render(List.of("ID", "NAME", "IMAGE", "NODE", "DESIRED STATE", "CURRENT STATE", "ERROR"), rows);
    }

    private static String nodeOf(JsonNode t) {
      String h = Json.text(t, "nodeHostname", "hostname");
      return h.isEmpty() ? Json.text(t, "nodeId") : h;
    }

    /** Docker's "5 seconds ago", "About a minute ago", "3 hours ago". */
    static String ago(long millis) {
      long s = Math.max(0, millis / 1000);
      if (s < 1) {
        return "Less than a second ago";
      }
      if (s < 60) {
        return s + (s == 1 ? " second ago" : " seconds ago");
      }
      long m = s / 60;
      if (m < 2) {
        return "About a minute ago";
      }
      if (m < 60) {
        return m + " minutes ago";
      }
      long h = m / 60;
      if (h < 2) {
        return "About an hour ago";
      }
      if (h < 48) {
        return h + " hours ago";
      }
      return h / 24 + " days ago";
    }
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Print services as JSON, or readably with --pretty.")
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = "--pretty", description = "Print in a human-friendly format.") boolean pretty;
    @Parameters(arity = "1..*", paramLabel = "SERVICE") List<String> services;

    @Override
    public Integer call() {
      ApiClient c = api.client();
      PrintWriter out = spec.commandLine().getOut();
      ArrayNode all = ApiClient.JSON.createArrayNode();
      services.forEach(s -> all.add(c.get(path(s))));
      if (!pretty) {
        out.println(Json.pretty(all));
        return 0;
      }
      for (int i = 0; i < all.size(); i++) {
        out.print((i > 0 ? "\n" : "") + prettyText(all.get(i)));
      }
      return 0;
    }

    /** {@code docker service inspect --pretty}'s lines, from the service's JSON. */
    static String prettyText(JsonNode svc) {
      JsonNode s = svc.path("spec");
      StringBuilder b = new StringBuilder();
      line(b, "", "ID", Json.text(svc, "id"));
      line(b, "", "Name", Json.text(s, "name"));
      boolean global = Json.lower(s, "mode").equals("global");
      b.append("Service Mode:\t").append(global ? "Global" : "Replicated").append('\n');
      if (!global) {
        line(b, " ", "Replicas", s.path("replicas").asText());
      }
      if (s.path("constraints").size() > 0) {
        b.append("Placement:\n Constraints:\t").append(join(s.path("constraints"))).append('\n');
      }
      JsonNode r = s.path("restart");
      if (!r.isMissingNode()) {
        b.append("RestartPolicy:\n");
        line(b, " ", "Condition", Json.text(r, "condition"));
        line(b, " ", "Delay", Durations.format(r.path("delayMillis").asLong()));
        line(b, " ", "Max attempts", r.path("maxAttempts").asText());
      }
      b.append("ContainerSpec:\n");
      line(b, " ", "Image", Json.text(s, "image"));
      if (s.path("command").size() > 0) {
        line(b, " ", "Args", join(s.path("command")).replace(",", " "));
      }
      if (s.path("env").size() > 0) {
        b.append(" Env:\n");
        s.path("env").fields().forEachRemaining(e -> b.append("  ").append(e.getKey()).append('=').append(e.getValue().asText()).append('\n'));
      }
      line(b, " ", "Executor", Json.text(s, "executor"));
      long cpus = s.path("cpus").asLong();
      long mem = s.path("memory").asLong();
      JsonNode lim = s.path("limits");
      if (cpus > 0 || mem > 0 || lim.size() > 0) {
        b.append("Resources:\n");
      }
      if (lim.size() > 0) {
        b.append(" Limits:\n");
        if (lim.has("nanoCpus")) {
          line(b, "  ", "CPU", java.math.BigDecimal.valueOf(lim.path("nanoCpus").asLong(), 9).stripTrailingZeros().toPlainString());
        }
        if (lim.has("memoryBytes")) {
          line(b, "  ", "Memory", ByteSizes.format(lim.path("memoryBytes").asLong()));
        }
        if (lim.has("pids")) {
          line(b, "  ", "PIDs", lim.path("pids").asText());
        }
      }
      if (cpus > 0 || mem > 0) {
        b.append(" Reservations:\n");
        if (cpus > 0) {
          line(b, "  ", "CPU", java.math.BigDecimal.valueOf(cpus, 3).stripTrailingZeros().toPlainString());
        }
        if (mem > 0) {
          line(b, "  ", "Memory", ByteSizes.format(mem));
        }
      }
      JsonNode logOpts = s.path("logOptions");
      if (logOpts.size() > 0) {
        b.append("Log Driver:\n Name:\tjson-file\n LogOpts:\n");
        if (logOpts.has("maxSize")) {
          line(b, "  ", "max-size", ByteSizes.format(logOpts.path("maxSize").asLong()));
        }
        if (logOpts.has("maxFile")) {
          line(b, "  ", "max-file", logOpts.path("maxFile").asText());
        }
      }
      if (s.path("networks").size() > 0) {
        line(b, "", "Networks", join(s.path("networks")).replace(",", " "));
      }
      line(b, "", "Endpoint Mode", Json.text(s, "endpointMode"));
      if (svc.path("vips").size() > 0) {
        b.append("Virtual IPs:\n");
        svc.path("vips").fields().forEachRemaining(e -> line(b, " ", e.getKey(), e.getValue().asText()));
      }
      if (s.path("ports").size() > 0) {
        b.append("Ports:\n");
        s.path("ports").forEach(p -> b.append(" PublishedPort = ").append(p.path("published").asInt()).append('\n')
            .append("  Protocol = ").append(Json.text(p, "protocol")).append('\n')
            .append("  TargetPort = ").append(p.path("target").asInt()).append('\n')
            .append("  PublishMode = ").append(Json.text(p, "mode")).append('\n'));
      }
      return b.toString();
    }

    private static void line(StringBuilder b, String indent, String key, String value) {
      b.append(indent).append(key).append(":\t").append(value).append('\n');
    }

    private static String join(JsonNode arr) {
      List<String> out = new ArrayList<>();
      arr.forEach(x -> out.add(x.asText()));
      return String.join(",", out);
    }
  }

  @Command(name = "scale", mixinStandardHelpOptions = true, description = "Set the replicas of services: meshctl service scale web=3 api=2")
  static final class Scale implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = {"-d", "--detach"}, description = "Do not wait for the services to converge.") boolean detach;
    @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", converter = FlagConverters.Duration.class)
    long timeoutMillis;
    @Parameters(arity = "1..*", paramLabel = "SERVICE=REPLICAS", converter = FlagConverters.Scale.class)
    List<Map.Entry<String, Integer>> scales;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      return api.eachTarget(spec, "service", scales, Map.Entry::getKey, (c, e) -> {
        c.post(path(e.getKey()) + "/scale", ApiClient.JSON.createObjectNode().put("replicas", e.getValue()));
        out.println(e.getKey() + " scaled to " + e.getValue());
        out.flush();
        return detach || ProgressPrinter.await(c, e.getKey(), timeoutMillis, out) ? 0 : 1;
      });
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove services; their tasks are stopped.")
  static final class Rm implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Parameters(arity = "1..*", paramLabel = "SERVICE") List<String> services;

    @Override
    public Integer call() {
      return api.eachTarget(spec, "service", services, s -> s, (c, s) -> {
        c.delete(path(s));
        spec.commandLine().getOut().println(s);
        return 0;
      });
    }
  }

  @Command(name = "logs", mixinStandardHelpOptions = true, description = "Print a service's output, each line prefixed with its task and node.")
  static final class Logs implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = {"-f", "--follow"}, description = "Keep printing new output until interrupted.") boolean follow;
    @Option(names = {"-n", "--tail"}, defaultValue = "all", paramLabel = "N|all", description = "Lines from the end of each task's output. Default: all.")
    String tail;
    @Parameters(index = "0", paramLabel = "SERVICE") String service;

    static String query(boolean follow, String tail) {
      return "?follow=" + follow + "&tail=" + Json.seg(tail);
    }

    @Override
    public Integer call() {
      if (!tail.equals("all") && !tail.matches("\\d{1,9}")) {
        throw new ParameterException(spec.commandLine(), "--tail \"" + tail + "\" must be a number of lines or all");
      }
      try (WriterOutputStream w = new WriterOutputStream(spec.commandLine().getOut())) {
        api.client().stream(path(service) + "/logs" + query(follow, tail), w);
      }
      return 0;
    }
  }
}
