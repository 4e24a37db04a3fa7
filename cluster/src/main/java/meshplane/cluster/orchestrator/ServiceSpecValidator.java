package meshplane.cluster.orchestrator;

import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.PublishMode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.RestartPolicy;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.ServiceSpec;

/**
 * Checks a {@link ServiceSpec} before anything changes: the first rule broken is an
 * {@link InvalidRequestException} naming the field ({@code replicas}, {@code ports[0].target},
 * {@code constraints[1]}, ...). Conflicts with other services (name, published port) are the
 * allocator's, as they depend on the state.
 */
public final class ServiceSpecValidator {
  public static final int MAX_REPLICAS = 1000;
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private ServiceSpecValidator() {}

  public static void check(ClusterState s, ServiceSpec spec) {
    if (spec == null) {
      throw new InvalidRequestException("spec", "is missing");
    }
    SpecLimits.check(spec);
    if (spec.name() == null || !DNS_LABEL.matcher(spec.name()).matches()) {
      throw new InvalidRequestException("name", "\"" + spec.name()
          + "\" must be a DNS label: 1 to 63 lowercase letters, digits and '-', not starting or ending with '-'");
    }
    if (spec.mode() == ServiceMode.REPLICATED && (spec.replicas() < 0 || spec.replicas() > MAX_REPLICAS)) {
      throw new InvalidRequestException("replicas", spec.replicas() + " must be between 0 and " + MAX_REPLICAS);
    }
    networks(s, spec.networks());
    ports(spec.ports());
    if (spec.endpointMode() == EndpointMode.DNSRR && !spec.ports().isEmpty()) {
      throw new InvalidRequestException("endpointMode",
          "dnsrr cannot publish ports in ingress mode (the routing mesh needs a VIP): use vip");
    }
    for (int i = 0; i < spec.constraints().size(); i++) {
      Constraint.parse(spec.constraints().get(i), "constraints[" + i + "]");
    }
    if (spec.cpus() < 0) {
      throw new InvalidRequestException("cpus", spec.cpus() + " must be 0 or more (millicores)");
    }
    if (spec.memory() < 0) {
      throw new InvalidRequestException("memory", spec.memory() + " must be 0 or more (bytes)");
    }
    if (spec.image() == null || spec.image().isBlank()) {
      throw new InvalidRequestException("image", "must name the image (or program) to run");
    }
    if (!"process".equals(spec.executor()) && !"docker".equals(spec.executor())) {
      throw new InvalidRequestException("executor", "\"" + spec.executor() + "\" must be process or docker");
    }
    restart(spec.restart());
    ServiceLimitsCheck.check(spec);
  }

  private static void networks(ClusterState s, List<String> networks) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < networks.size(); i++) {
      String name = networks.get(i);
      String field = "networks[" + i + "]";
      Network n = Networks.byName(s, name).orElseThrow(() -> new InvalidRequestException(field, "no network named \"" + name + "\""));
      if (n.ingress()) {
        throw new InvalidRequestException(field, "the ingress network cannot be attached: publish a port instead");
      }
      if (!seen.add(name)) {
        throw new InvalidRequestException(field, "network " + name + " is listed twice");
      }
    }
  }

  private static void ports(List<PortConfig> ports) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < ports.size(); i++) {
      PortConfig p = ports.get(i);
      String at = "ports[" + i + "]";
      if (p.target() < 1 || p.target() > 65535) {
        throw new InvalidRequestException(at + ".target", p.target() + " must be between 1 and 65535");
      }
      if (p.published() < 0 || p.published() > 65535) {
        throw new InvalidRequestException(at + ".published", p.published() + " must be between 1 and 65535 (0: pick one)");
      }
      String reserved = ReservedPorts.use(p.published(), p.protocol());
      if (reserved != null) {
        throw new InvalidRequestException(at + ".published", p.published() + "/" + p.protocol().wire() + " is " + reserved
            + ": the cluster uses it on every node; publish another port");
      }
      if (p.mode() != PublishMode.INGRESS) {
        throw new InvalidRequestException(at + ".mode", "\"" + p.mode() + "\" must be ingress (host mode is not supported yet)");
      }
      if (p.published() != 0 && !seen.add(p.published() + "/" + p.protocol())) {
        throw new InvalidRequestException(at + ".published", p.published() + "/" + p.protocol() + " is listed twice");
      }
    }
  }

  private static void restart(RestartPolicy r) {
    if (!"none".equals(r.condition()) && !"on-failure".equals(r.condition()) && !"any".equals(r.condition())) {
      throw new InvalidRequestException("restart.condition", "\"" + r.condition() + "\" must be none, on-failure or any");
    }
    if (r.delayMillis() < 0) {
      throw new InvalidRequestException("restart.delayMillis", r.delayMillis() + " must be 0 or more");
    }
    if (r.maxAttempts() < 0) {
      throw new InvalidRequestException("restart.maxAttempts", r.maxAttempts() + " must be 0 (no limit) or more");
    }
  }
}
