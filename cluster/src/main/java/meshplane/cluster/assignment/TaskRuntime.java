package meshplane.cluster.assignment;

import java.util.List;
import java.util.Map;

/** What a node needs to run one of its tasks: the executor, the image, the command and the environment. */
public record TaskRuntime(String executor, String image, List<String> command, Map<String, String> env) {
  public TaskRuntime {
    command = List.copyOf(command);
    env = Map.copyOf(env);
  }
}
