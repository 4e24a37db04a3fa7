package meshplane.cli;

import meshplane.dataplane.EndpointMode;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.RestartPolicy;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.ServiceSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl service create [OPTIONS] IMAGE [COMMAND ARG...]}, as docker's: options stop at
 * IMAGE, so the command's own flags pass through. The request body is the {@link ServiceSpec}'s
 * JSON; without {@code --detach} it waits for the service to converge ({@link ProgressPrinter}).
 */
@Command(name = "create", mixinStandardHelpOptions = true, modelTransformer = ServiceCreateCommand.StopAtImage.class,
    description = "Create a service: IMAGE is a program on the nodes (process executor) or a docker image.")
final class ServiceCreateCommand implements Callable<Integer> {
  static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");

  @Spec CommandSpec spec;
  @Mixin ApiOptions api;
  @Option(names = "--name", required = true, paramLabel = "NAME") String name;
  @Option(names = "--replicas", paramLabel = "N", description = "Tasks of a replicated service. Default: 1.") Integer replicas;
  @Option(names = "--mode", defaultValue = "replicated", paramLabel = "replicated|global") String mode;
  @Option(names = "--network", paramLabel = "NET", description = "Attach to an overlay network (repeatable).")
  List<String> networks = new ArrayList<>();
  @Option(names = {"-p", "--publish"}, paramLabel = "[PUBLISHED:]TARGET[/PROTO]", converter = FlagConverters.Publish.class,
      description = "Publish TARGET on PUBLISHED of every node (routing mesh); TARGET alone: the manager picks the port.")
  List<PortConfig> ports = new ArrayList<>();
  @Option(names = "--endpoint-mode", defaultValue = "vip", paramLabel = "vip|dnsrr") String endpointMode;
  @Option(names = "--constraint", paramLabel = "EXPR", converter = FlagConverters.Constraint.class,
      description = "node.labels.K==V, node.role==manager, node.hostname!=H, node.id==ID (repeatable).")
  List<String> constraints = new ArrayList<>();
  @Option(names = "--reserve-cpu", paramLabel = "CPUS", converter = FlagConverters.Cpu.class, description = "e.g. 0.5")
  Long cpuMillis;
  @Option(names = "--reserve-memory", paramLabel = "SIZE", converter = FlagConverters.Memory.class, description = "e.g. 64M, 1G, bytes")
  Long memoryBytes;
  @Option(names = {"-e", "--env"}, paramLabel = "K=V", converter = FlagConverters.Env.class)
  List<Map.Entry<String, String>> env = new ArrayList<>();
  @Option(names = "--restart-condition", defaultValue = "any", paramLabel = "none|on-failure|any") String restartCondition;
  @Option(names = "--restart-delay", paramLabel = "DURATION", converter = FlagConverters.Duration.class, description = "Default: 5s.")
  Long restartDelayMillis;
  @Option(names = "--restart-max-attempts", defaultValue = "0", paramLabel = "N", description = "0: no limit.") int restartMaxAttempts;
  @Mixin TaskLimitFlags limits;
  @Option(names = "--executor", defaultValue = "process", paramLabel = "process|docker") String executor;
  @Option(names = {"-d", "--detach"}, description = "Do not wait for the service to converge.") boolean detach;
  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION", converter = FlagConverters.Duration.class,
      description = "How long to wait for convergence. Default: ${DEFAULT-VALUE}.") long timeoutMillis;
  @Parameters(index = "0", paramLabel = "IMAGE") String image;
  @Parameters(index = "1..*", paramLabel = "ARG", description = "The command and its arguments.") List<String> args = new ArrayList<>();

  /** Options stop at IMAGE: what follows is the task's command line. */
  static final class StopAtImage implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      spec.parser().stopAtPositional(true);
      return spec;
    }
  }

  /** The spec this command line asks for; refuses bad combinations before any request. */
  ServiceSpec serviceSpec() {
    if (!NAME.matcher(name).matches()) {
      throw bad("--name \"" + name + "\" must be 1-63 of [a-zA-Z0-9_.-], starting with a letter or digit");
    }
    ServiceMode m = switch (mode) {
      case "replicated" -> ServiceMode.REPLICATED;
      case "global" -> ServiceMode.GLOBAL;
      default -> throw bad("--mode \"" + mode + "\" must be replicated or global");
    };
    if (m == ServiceMode.GLOBAL && replicas != null) {
      throw bad("--replicas can only be used with replicated mode (not with --mode global)");
    }
    if (replicas != null && (replicas < 0 || replicas > 10_000)) {
      throw bad("--replicas " + replicas + " must be 0-10000");
    }
    EndpointMode mode = EndpointMode.parse(endpointMode).orElseThrow(() ->
        bad("--endpoint-mode \"" + endpointMode + "\" must be vip or dnsrr"));
    if (mode == EndpointMode.DNSRR && !ports.isEmpty()) {
      throw bad("--publish cannot be used with --endpoint-mode dnsrr (the routing mesh needs a VIP)");
    }
    if (!List.of("none", "on-failure", "any").contains(restartCondition)) {
      throw bad("--restart-condition \"" + restartCondition + "\" must be none, on-failure or any");
    }
    if (restartMaxAttempts < 0) {
      throw bad("--restart-max-attempts " + restartMaxAttempts + " must be 0 (no limit) or more");
    }
    if (!executor.equals("process") && !executor.equals("docker")) {
      throw bad("--executor \"" + executor + "\" must be process or docker");
    }
    checkPortsUnique(ports);
    Map<String, String> envMap = new LinkedHashMap<>();
    env.forEach(e -> envMap.put(e.getKey(), e.getValue()));
    RestartPolicy restart = new RestartPolicy(restartCondition,
        restartDelayMillis == null ? RestartPolicy.DEFAULT.delayMillis() : restartDelayMillis, restartMaxAttempts);
    int n = m == ServiceMode.GLOBAL ? 0 : replicas == null ? 1 : replicas;
    return new ServiceSpec(name, m, n, networks, ports, mode, constraints,
        cpuMillis == null ? 0 : cpuMillis, memoryBytes == null ? 0 : memoryBytes, envMap, image, args, restart, executor,
        limits.limits(), limits.logOptions());
  }

  private void checkPortsUnique(List<PortConfig> ps) {
    for (int i = 0; i < ps.size(); i++) {
      for (int j = i + 1; j < ps.size(); j++) {
        PortConfig a = ps.get(i);
        PortConfig b = ps.get(j);
        if (a.published() != 0 && a.published() == b.published() && a.protocol().equals(b.protocol())) {
          throw bad("--publish " + a.published() + "/" + a.protocol() + " is given twice");
        }
      }
    }
  }

  private ParameterException bad(String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  @Override
  public Integer call() {
    ServiceSpec s = serviceSpec();
    ApiClient c = api.client();
    JsonNode a = c.post("/v1/services", s);
    PrintWriter out = spec.commandLine().getOut();
    out.println(Json.text(a, "id"));
    out.flush();
    if (detach) {
      return 0;
    }
    return ProgressPrinter.await(c, name, timeoutMillis, out) ? 0 : 1;
  }
}
