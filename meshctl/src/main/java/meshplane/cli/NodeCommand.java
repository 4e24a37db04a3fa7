package meshplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** {@code meshctl node ls|inspect|update|promote|demote|rm}, as {@code docker node}. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Manage the swarm's nodes.",
    subcommands = {NodeCommand.Ls.class, NodeCommand.Inspect.class, NodeCommand.Update.class,
        NodeCommand.Promote.class, NodeCommand.Demote.class, NodeCommand.Rm.class})
final class NodeCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is missing: ls, inspect, update, promote, demote or rm");
  }

  static String path(String node) {
    return "/v1/nodes/" + Json.seg(node);
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the nodes; * marks the node answering.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Override
    public Integer call() {
      ApiClient c = api.client();
      String self = Json.text(c.get("/v1/info"), "nodeId");
      spec.commandLine().getOut().print(table(Json.items(c.get("/v1/nodes"), "nodes"), self));
      return 0;
    }

    /** ID, HOSTNAME, STATUS, AVAILABILITY, MANAGER STATUS (Leader, Reachable, Unreachable), sorted by hostname. */
    static String table(List<JsonNode> nodes, String selfId) {
      List<List<String>> rows = new ArrayList<>();
      nodes.stream().sorted(Comparator.comparing((JsonNode n) -> Json.text(n, "hostname")).thenComparing(n -> Json.text(n, "id")))
          .forEach(n -> rows.add(List.of(
              Json.text(n, "id") + (Json.text(n, "id").equals(selfId) ? " *" : ""),
              Json.text(n, "hostname"),
              Json.capital(Json.lower(n, "status")),
              Json.capital(Json.lower(n, "availability")),
              managerStatus(n))));
      return Tables.render(List.of("ID", "HOSTNAME", "STATUS", "AVAILABILITY", "MANAGER STATUS"), rows);
    }

    static String managerStatus(JsonNode n) {
      if (!Json.lower(n, "role").equals("manager")) {
        return "";
      }
      if (n.path("leader").asBoolean(false)) {
        return "Leader";
      }
      return n.path("reachable").asBoolean(!Json.lower(n, "status").equals("down")) ? "Reachable" : "Unreachable";
    }
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Print nodes as JSON (or, with --pretty, as text).")
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = "--pretty", description = "Print each node as text, as docker node inspect --pretty: status, manager status, TLS info.")
    boolean pretty;
    @Parameters(arity = "1..*", paramLabel = "NODE", description = "Node id, id prefix or hostname ('self': the node answering).")
    List<String> nodes;

    @Override
    public Integer call() {
      ApiClient c = api.client();
      ArrayNode all = ApiClient.JSON.createArrayNode();
      for (String n : nodes) {
        all.add(c.get(path(n.equals("self") ? Json.text(c.get("/v1/info"), "nodeId") : n)));
      }
      if (pretty) {
        all.forEach(n -> spec.commandLine().getOut().print(prettyText(n)));
      } else {
        spec.commandLine().getOut().println(Json.pretty(all));
      }
      return 0;
    }

    static String prettyText(JsonNode n) {
      StringBuilder b = new StringBuilder();
      row(b, "ID:", Json.text(n, "id"));
      row(b, "Hostname:", Json.text(n, "hostname"));
      row(b, "Joined at:", java.time.Instant.ofEpochMilli(n.path("createdAt").asLong()).toString());
      b.append("Status:\n");
      row(b, " State:", capitalized(Json.lower(n, "status")));
      row(b, " Availability:", capitalized(Json.lower(n, "availability")));
      row(b, " Address:", Json.text(n, "addr"));
      if (Json.lower(n, "role").equals("manager")) {
        b.append("Manager Status:\n");
        row(b, " Address:", Json.text(n, "addr") + ":" + n.path("apiPort").asInt());
        row(b, " Raft Status:", Ls.managerStatus(n));
        row(b, " Leader:", n.path("leader").asBoolean() ? "Yes" : "No");
      }
      b.append("TLS Info:\n");
      row(b, " Issuer Subject:", n.path("tls").path("issuerSubject").asText("-"));
      row(b, " Certificate Expiry:", n.path("tls").path("certificateNotAfter").asText("-"));
      return b.toString();
    }

    private static void row(StringBuilder b, String label, String value) {
      b.append(String.format("%-22s %s%n", label, value));
    }

    private static String capitalized(String s) {
      return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
  }

  @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a node's availability or labels.")
  static final class Update implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = "--availability", paramLabel = "active|pause|drain", description = "active takes tasks, pause keeps its tasks, drain moves them away.")
    String availability;
    @Option(names = "--label-add", paramLabel = "KEY[=VALUE]", converter = FlagConverters.Label.class)
    List<Map.Entry<String, String>> labelAdd = new ArrayList<>();
    @Option(names = "--label-rm", paramLabel = "KEY")
    List<String> labelRm = new ArrayList<>();
    @Parameters(index = "0", paramLabel = "NODE")
    String node;

    /** {@code {availability?, labelAdd?: {k: v}, labelRm?: [k]}}. */
    ObjectNode body() {
      ObjectNode b = ApiClient.JSON.createObjectNode();
      if (availability != null) {
        if (!List.of("active", "pause", "drain").contains(availability)) {
          throw new ParameterException(spec.commandLine(), "--availability \"" + availability + "\" must be active, pause or drain");
        }
        b.put("availability", availability);
      }
      if (!labelAdd.isEmpty()) {
        ObjectNode add = b.putObject("labelAdd");
        labelAdd.forEach(e -> add.put(e.getKey(), e.getValue()));
      }
      if (!labelRm.isEmpty()) {
        ArrayNode rm = b.putArray("labelRm");
        labelRm.forEach(rm::add);
      }
      if (b.isEmpty()) {
        throw new ParameterException(spec.commandLine(), "nothing to update: give --availability, --label-add or --label-rm");
      }
      return b;
    }

    @Override
    public Integer call() {
      ObjectNode b = body();
      api.client().post(path(node) + "/update", b);
      spec.commandLine().getOut().println(node);
      return 0;
    }
  }

  /** promote and demote: the role update on each node, going on after a failure as docker does. */
  abstract static class RoleChange implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Parameters(arity = "1..*", paramLabel = "NODE")
    List<String> nodes;

    abstract String role();

    abstract String done(String node);

    @Override
    public Integer call() {
      return api.eachTarget(spec, "node", nodes, n -> n, (c, n) -> {
        c.post(path(n) + "/update", ApiClient.JSON.createObjectNode().put("role", role()));
        spec.commandLine().getOut().println(done(n));
        return 0;
      });
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Make workers managers.")
  static final class Promote extends RoleChange {
    @Override
    String role() {
      return "manager";
    }

    @Override
    String done(String node) {
      return "Node " + node + " promoted to a manager in the swarm.";
    }
  }

  @Command(name = "demote", mixinStandardHelpOptions = true, description = "Make managers workers.")
  static final class Demote extends RoleChange {
    @Override
    String role() {
      return "worker";
    }

    @Override
    String done(String node) {
      return "Manager " + node + " demoted in the swarm.";
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove nodes from the swarm (a ready node needs --force).")
  static final class Rm implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = {"-f", "--force"}, description = "Remove even a node that is ready.")
    boolean force;
    @Parameters(arity = "1..*", paramLabel = "NODE")
    List<String> nodes;

    @Override
    public Integer call() {
      return api.eachTarget(spec, "node", nodes, n -> n, (c, n) -> {
        c.delete(path(n) + (force ? "?force=true" : ""));
        spec.commandLine().getOut().println(n);
        return 0;
      });
    }
  }
}
