package meshplane.cluster.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshplane.dataplane.EndpointMode;

/**
 * What the user asked for with {@code meshctl service create}: the flags of
 * {@code docker service create}. {@code networks} are network names; {@code cpus} is in
 * millicores and {@code memory} in bytes ({@code --reserve-cpu}, {@code --reserve-memory});
 * {@code executor} is {@code process} (default) or {@code docker}; {@code limits} are the
 * {@code --limit-*} flags and {@code logOptions} the {@code --log-opt} ones, each absent (null, left
 * out of the JSON, so entries written before them read back the same) when not given.
 */
public record ServiceSpec(String name, ServiceMode mode, int replicas, List<String> networks,
    List<PortConfig> ports, EndpointMode endpointMode, List<String> constraints, long cpus, long memory,
    Map<String, String> env, String image, List<String> command, RestartPolicy restart, String executor,
    @JsonInclude(JsonInclude.Include.NON_NULL) ResourceLimits limits,
    @JsonInclude(JsonInclude.Include.NON_NULL) LogOptions logOptions) {
  @JsonCreator
  public ServiceSpec {
    networks = networks == null ? List.of() : List.copyOf(networks);
    ports = ports == null ? List.of() : List.copyOf(ports);
    constraints = constraints == null ? List.of() : List.copyOf(constraints);
    env = env == null ? Map.of() : Map.copyOf(new TreeMap<>(env));
    command = command == null ? List.of() : List.copyOf(command);
    restart = restart == null ? RestartPolicy.DEFAULT : restart;
    endpointMode = endpointMode == null ? EndpointMode.VIP : endpointMode;
    mode = mode == null ? ServiceMode.REPLICATED : mode;
    executor = executor == null ? "process" : executor;
    limits = limits == null || limits.none() ? null : limits;
    logOptions = logOptions == null || (logOptions.maxSize() == null && logOptions.maxFile() == null) ? null : logOptions;
  }

  /** A spec without limits or log options. */
  public ServiceSpec(String name, ServiceMode mode, int replicas, List<String> networks, List<PortConfig> ports,
      EndpointMode endpointMode, List<String> constraints, long cpus, long memory, Map<String, String> env, String image,
      List<String> command, RestartPolicy restart, String executor) {
    this(name, mode, replicas, networks, ports, endpointMode, constraints, cpus, memory, env, image, command, restart,
        executor, null, null);
  }

  /** The log options in effect: the spec's, the defaults for what it leaves out. */
  public LogOptions logOptionsOrDefault() {
    return logOptions == null ? LogOptions.DEFAULT : LogOptions.DEFAULT.with(logOptions);
  }

  public ServiceSpec withLimits(ResourceLimits l, LogOptions o) {
    return new ServiceSpec(name, mode, replicas, networks, ports, endpointMode, constraints, cpus, memory, env, image,
        command, restart, executor, l, o);
  }

  public ServiceSpec withReplicas(int n) {
    return new ServiceSpec(name, mode, n, networks, ports, endpointMode, constraints, cpus, memory, env, image, command, restart, executor, limits, logOptions);
  }

  public ServiceSpec withPorts(List<PortConfig> p) {
    return new ServiceSpec(name, mode, replicas, networks, p, endpointMode, constraints, cpus, memory, env, image, command, restart, executor, limits, logOptions);
  }
}
