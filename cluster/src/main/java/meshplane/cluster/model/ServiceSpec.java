package meshplane.cluster.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import meshplane.dataplane.EndpointMode;

/**
 * What the user asked for with {@code meshctl service create}: the flags of
 * {@code docker service create}. {@code networks} are network names; {@code cpus} is in
 * millicores and {@code memory} in bytes ({@code --reserve-cpu}, {@code --reserve-memory});
 * {@code executor} is {@code process} (default) or {@code docker}.
 */
public record ServiceSpec(String name, ServiceMode mode, int replicas, List<String> networks,
    List<PortConfig> ports, EndpointMode endpointMode, List<String> constraints, long cpus, long memory,
    Map<String, String> env, String image, List<String> command, RestartPolicy restart, String executor) {
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
  }

  public ServiceSpec withReplicas(int n) {
    return new ServiceSpec(name, mode, n, networks, ports, endpointMode, constraints, cpus, memory, env, image, command, restart, executor);
  }

  public ServiceSpec withPorts(List<PortConfig> p) {
    return new ServiceSpec(name, mode, replicas, networks, p, endpointMode, constraints, cpus, memory, env, image, command, restart, executor);
  }
}
