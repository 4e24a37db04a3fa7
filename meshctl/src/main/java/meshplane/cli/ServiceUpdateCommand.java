package meshplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.model.PortConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl service update [OPTIONS] SERVICE}. Reads the service, applies the add/rm flags to
 * its spec, and POSTs only the fields that change, each with its whole new value
 * ({@code {"replicas": 3, "image": "x", "env": {...}, "constraints": [...], "ports": [...], "command": [...]}});
 * present fields replace, as docs/control-plane.md says. Then waits for the rolling update.
 */
@Command(name = "update", mixinStandardHelpOptions = true, description = "Change a service; its tasks are replaced one at a time.")
final class ServiceUpdateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;
  @Option(names = "--replicas", paramLabel = "N") Integer replicas;
  @Option(names = "--image", paramLabel = "IMAGE") String image;
  @Option(names = "--env-add", paramLabel = "K=V", converter = FlagConverters.Env.class)
  List<Map.Entry<String, String>> envAdd = new ArrayList<>();
  @Option(names = "--env-rm", paramLabel = "K") List<String> envRm = new ArrayList<>();
  @Option(names = "--constraint-add", paramLabel = "EXPR", converter = FlagConverters.Constraint.class)
  List<String> constraintAdd = new ArrayList<>();
  @Option(names = "--constraint-rm", paramLabel = "EXPR", converter = FlagConverters.Constraint.class)
  List<String> constraintRm = new ArrayList<>();
  @Option(names = "--publish-add", paramLabel = "[PUBLISHED:]TARGET[/PROTO]", converter = FlagConverters.Publish.class)
  List<PortConfig> publishAdd = new ArrayList<>();
  @Option(names = "--publish-rm", paramLabel = "PUBLISHED[/PROTO]", converter = FlagConverters.Published.class)
  List<ServiceFlags.PublishedPort> publishRm = new ArrayList<>();
  @Option(names = "--args", paramLabel = "\"ARG...\"", description = "The task's command line, replacing the current one.")
  String args;
  @Mixin TaskLimitFlags limits;
  @Option(names = {"-d", "--detach"}, description = "Do not wait for the update to converge.") boolean detach;
  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", converter = FlagConverters.Duration.class)
  long timeoutMillis;
  @Parameters(index = "0", paramLabel = "SERVICE") String service;

  /** The partial spec from {@code current} (the service's JSON, with its {@code spec}); refuses nonsense. */
  ObjectNode body(JsonNode current) {
    JsonNode s = current.path("spec");
    ObjectNode b = ApiClient.JSON.createObjectNode();
    if (replicas != null) {
      if (s.path("mode").asText().equalsIgnoreCase("global")) {
        throw bad("--replicas cannot be used with global service " + service);
      }
      if (replicas < 0 || replicas > 10_000) {
        throw bad("--replicas " + replicas + " must be 0-10000");
      }
      b.put("replicas", replicas);
    }
    if (image != null) {
      if (image.isBlank()) {
        throw bad("--image must not be empty");
      }
      b.put("image", image);
    }
    if (!envAdd.isEmpty() || !envRm.isEmpty()) {
      Map<String, String> env = new LinkedHashMap<>();
      s.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
      envRm.forEach(env::remove);
      envAdd.forEach(e -> env.put(e.getKey(), e.getValue()));
      b.set("env", ApiClient.JSON.valueToTree(env));
    }
    if (!constraintAdd.isEmpty() || !constraintRm.isEmpty()) {
      Set<String> cs = new LinkedHashSet<>();
      s.path("constraints").forEach(c -> cs.add(c.asText()));
      for (String c : constraintRm) {
        if (!cs.remove(c)) {
          throw bad("--constraint-rm " + c + ": service " + service + " has no such constraint (it has " + cs + ")");
        }
      }
      cs.addAll(constraintAdd);
      b.set("constraints", ApiClient.JSON.valueToTree(cs));
    }
    if (!publishAdd.isEmpty() || !publishRm.isEmpty()) {
      b.set("ports", ports(s.path("ports")));
    }
    if (args != null) {
      try {
        b.set("command", ApiClient.JSON.valueToTree(ServiceFlags.words(args)));
      } catch (IllegalArgumentException e) {
        throw bad("--args " + e.getMessage());
      }
    }
    if (limits.limits() != null) {
      b.set("limits", ApiClient.JSON.valueToTree(limits.limits()));
    }
    if (limits.logOptions() != null) {
      b.set("logOptions", ApiClient.JSON.valueToTree(limits.logOptions()));
    }
    if (b.isEmpty()) {
      throw bad("nothing to update: give --replicas, --image, --env-add/-rm, --constraint-add/-rm, --publish-add/-rm, --args,"
          + " --limit-cpu/-memory/-pids or --log-opt");
    }
    return b;
  }

  private ArrayNode ports(JsonNode currentPorts) {
    List<PortConfig> ps = new ArrayList<>();
    currentPorts.forEach(p -> ps.add(ApiClient.JSON.convertValue(p, PortConfig.class)));
    for (ServiceFlags.PublishedPort r : publishRm) {
      boolean removed = ps.removeIf(p -> p.published() == r.published() && p.protocol() == r.protocol());
      if (!removed) {
        throw bad("--publish-rm " + r + ": service " + service + " does not publish it");
      }
    }
    for (PortConfig a : publishAdd) {
      for (PortConfig p : ps) {
        if (a.published() != 0 && p.published() == a.published() && p.protocol() == a.protocol()) {
          throw bad("--publish-add " + a + ": service " + service + " already publishes " + a.published() + "/" + a.protocol());
        }
      }
      ps.add(a);
    }
    return ApiClient.JSON.valueToTree(ps);
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  @Override
  public Integer call() {
    ApiClient c = api.client();
    String path = ServiceCommand.path(service);
    ObjectNode b = body(c.get(path));
    c.post(path + "/update", b);
    PrintWriter out = spec.commandLine().getOut();
    out.println(service);
    out.flush();
    if (detach) {
      return 0;
    }
    return ProgressPrinter.await(c, service, timeoutMillis, out) ? 0 : 1;
  }
}
