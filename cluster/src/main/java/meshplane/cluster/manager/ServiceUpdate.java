package meshplane.cluster.manager;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.RestartPolicy;
import meshplane.cluster.model.ServiceSpec;

/**
 * The body of {@code POST /v1/services/{name}/update}: only the fields present change
 * (docs/cli.md). Whole values ({@code image}, {@code command}, {@code env}, {@code constraints},
 * {@code ports}, ...) replace; {@code envAdd}/{@code envRm}, {@code constraintAdd}/{@code constraintRm}
 * and {@code publishAdd}/{@code publishRm} (published ports) edit; in {@code limits} and
 * {@code logOptions} each field given replaces that one field.
 */
record ServiceUpdate(Integer replicas, String image, List<String> command, Map<String, String> env,
    Map<String, String> envAdd, List<String> envRm, List<String> constraints, List<String> constraintAdd,
    List<String> constraintRm, List<PortConfig> ports, List<PortConfig> publishAdd, List<Integer> publishRm,
    List<String> networks, meshplane.dataplane.EndpointMode endpointMode, Long cpus, Long memory, RestartPolicy restart, String executor,
    Boolean force, meshplane.cluster.model.ResourceLimits limits, meshplane.cluster.model.LogOptions logOptions) {

  ServiceSpec applyTo(ServiceSpec s) {
    Map<String, String> e = new LinkedHashMap<>(env != null ? env : s.env());
    if (envAdd != null) {
      e.putAll(envAdd);
    }
    if (envRm != null) {
      envRm.forEach(e::remove);
    }
    List<String> c = new ArrayList<>(constraints != null ? constraints : s.constraints());
    if (constraintRm != null) {
      c.removeAll(constraintRm);
    }
    if (constraintAdd != null) {
      constraintAdd.stream().filter(x -> !c.contains(x)).forEach(c::add);
    }
    List<PortConfig> p = new ArrayList<>(ports != null ? ports : s.ports());
    if (publishRm != null) {
      p.removeIf(x -> publishRm.contains(x.published()));
    }
    if (publishAdd != null) {
      p.addAll(publishAdd);
    }
    return new ServiceSpec(s.name(), s.mode(), replicas != null ? replicas : s.replicas(),
        networks != null ? networks : s.networks(), p, endpointMode != null ? endpointMode : s.endpointMode(), c,
        cpus != null ? cpus : s.cpus(), memory != null ? memory : s.memory(), e, image != null ? image : s.image(),
        command != null ? command : s.command(), restart != null ? restart : s.restart(),
        executor != null ? executor : s.executor(),
        s.limits() == null ? limits : s.limits().with(limits),
        s.logOptions() == null ? logOptions : s.logOptions().with(logOptions));
  }

  /** Whether only the replica count changes: a scale, not a new version (tasks are not replaced). */
  boolean onlyReplicas() {
    return replicas != null && image == null && command == null && env == null && envAdd == null && envRm == null
        && constraints == null && constraintAdd == null && constraintRm == null && ports == null && publishAdd == null
        && publishRm == null && networks == null && endpointMode == null && cpus == null && memory == null
        && restart == null && executor == null && limits == null && logOptions == null && (force == null || !force);
  }
}
