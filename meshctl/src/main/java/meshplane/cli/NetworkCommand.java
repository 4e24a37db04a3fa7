package meshplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.model.Subnets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshctl network create|ls|inspect|rm}, as {@code docker network} for overlay networks. */
@Command(name = "network", mixinStandardHelpOptions = true, description = "Manage overlay networks.",
    subcommands = {NetworkCommand.Create.class, NetworkCommand.Ls.class, NetworkCommand.Inspect.class, NetworkCommand.Rm.class})
final class NetworkCommand implements Runnable {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a subcommand is missing: create, ls, inspect or rm");
  }

  static String path(String network) {
    return "/v1/networks/" + Json.seg(network);
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create an overlay network.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Option(names = {"-d", "--driver"}, defaultValue = "overlay", paramLabel = "DRIVER", description = "Only overlay. Default: ${DEFAULT-VALUE}.")
    String driver;
    @Option(names = "--subnet", paramLabel = "CIDR", description = "The network's IPv4 subnet. Default: the first free 10.0.N.0/24.")
    String subnet;
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    /** {@code {name, driver: overlay, subnet?}}. */
    ObjectNode body() {
      if (!driver.equals("overlay")) {
        throw new ParameterException(spec.commandLine(), "--driver " + driver
            + " is not supported: meshplane networks are swarm-scoped overlays, use -d overlay");
      }
      if (!NAME.matcher(name).matches()) {
        throw new ParameterException(spec.commandLine(), "network name \"" + name
            + "\" must be 1-63 of [a-zA-Z0-9_.-], starting with a letter or digit");
      }
      ObjectNode b = ApiClient.JSON.createObjectNode().put("name", name).put("driver", "overlay");
      if (subnet != null) {
        int[] p;
        try {
          p = Subnets.parse(subnet);
        } catch (IllegalArgumentException e) {
          throw new ParameterException(spec.commandLine(), "--subnet \"" + subnet + "\" must be an IPv4 CIDR a.b.c.d/len: " + e.getMessage());
        }
        if (p[1] > 30 || !Subnets.toIp(p[0]).equals(subnet.substring(0, subnet.indexOf('/')))) {
          throw new ParameterException(spec.commandLine(), "--subnet \"" + subnet
              + "\" must be a network address with a prefix of at most /30 (e.g. 10.0.9.0/24)");
        }
        b.put("subnet", subnet);
      }
      return b;
    }

    @Override
    public Integer call() {
      JsonNode n = api.client().post("/v1/networks", body());
      spec.commandLine().getOut().println(Json.text(n, "id", "name"));
      return 0;
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the networks.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(table(Json.items(api.client().get("/v1/networks"), "networks")));
      return 0;
    }

    /** NETWORK ID, NAME, DRIVER (overlay), SCOPE (swarm), SUBNET; sorted by name. */
    static String table(List<JsonNode> networks) {
      List<List<String>> rows = new ArrayList<>();
      networks.stream().sorted(Comparator.comparing(n -> Json.text(n, "name")))
          .forEach(n -> rows.add(List.of(Json.text(n, "id"), Json.text(n, "name"), "overlay", "swarm", Json.text(n, "subnet"))));
      return Tables.render(List.of("NETWORK ID", "NAME", "DRIVER", "SCOPE", "SUBNET"), rows);
    }
  }

  @Command(name = "inspect", mixinStandardHelpOptions = true, description = "Print networks as JSON.")
  static final class Inspect implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Parameters(arity = "1..*", paramLabel = "NETWORK")
    List<String> networks;

    @Override
    public Integer call() {
      ApiClient c = api.client();
      ArrayNode all = ApiClient.JSON.createArrayNode();
      networks.forEach(n -> all.add(c.get(path(n))));
      spec.commandLine().getOut().println(Json.pretty(all));
      return 0;
    }
  }

  @Command(name = "rm", mixinStandardHelpOptions = true, description = "Remove networks no service uses.")
  static final class Rm implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;
    @Parameters(arity = "1..*", paramLabel = "NETWORK")
    List<String> networks;

    @Override
    public Integer call() {
      return api.eachTarget(spec, "network", networks, n -> n, (c, n) -> {
        c.delete(path(n));
        spec.commandLine().getOut().println(n);
        return 0;
      });
    }
  }
}
