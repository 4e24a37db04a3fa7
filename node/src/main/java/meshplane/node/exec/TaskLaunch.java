package meshplane.node.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an executor needs to run one task: its id and name (the task's hostname), the network
 * namespace name it runs in ({@code /run/netns/<netns>}), the image and command of its service,
 * its environment, and where its output goes. {@code stateDir} is a folder of its own for the
 * executor's files (resolv.conf, pid file), removed by {@link TaskExecutor#cleanup}.
 */
public record TaskLaunch(String taskId, String taskName, String netns, String image, List<String> command,
    Map<String, String> env, Path logFile, Path stateDir) {
  public TaskLaunch {
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
  }
}
