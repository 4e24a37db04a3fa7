package meshplane.cluster.assignment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import meshplane.cluster.model.LogOptions;
import meshplane.cluster.model.ResourceLimits;

/**
 * What a node needs to run one of its tasks: the executor, the image, the command, the
 * environment, the resource limits (null: none) and how its log is kept (null: the defaults).
 */
public record TaskRuntime(String executor, String image, List<String> command, Map<String, String> env,
    @JsonInclude(JsonInclude.Include.NON_NULL) ResourceLimits limits,
    @JsonInclude(JsonInclude.Include.NON_NULL) LogOptions logOptions) {
  @JsonCreator
  public TaskRuntime {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }

  public TaskRuntime(String executor, String image, List<String> command, Map<String, String> env) {
    this(executor, image, command, env, null, null);
  }

  /** The log options in effect. */
  public LogOptions logOptionsOrDefault() {
    return logOptions == null ? LogOptions.DEFAULT : LogOptions.DEFAULT.with(logOptions);
  }
}
