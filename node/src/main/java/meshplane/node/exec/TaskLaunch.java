package meshplane.node.exec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import meshplane.cluster.model.LogOptions;
import meshplane.cluster.model.ResourceLimits;

/**
 * What an executor needs to run one task: its id and name (the task's hostname), the network
 * namespace name it runs in ({@code /run/netns/<netns>}), the image and command of its service,
 * its environment, and where its output goes. {@code stateDir} is a folder of its own for the
 * executor's files (resolv.conf, pid file), removed by {@link TaskExecutor#cleanup}. {@code limits}
 * are the task's resource limits (null: none), {@code logOptions} how its log rotates (null: the
 * defaults).
 */
public record TaskLaunch(String taskId, String taskName, String netns, String image, List<String> command,
    Map<String, String> env, Path logFile, Path stateDir, ResourceLimits limits, LogOptions logOptions) {
  public TaskLaunch {
    command = command == null ? List.of() : List.copyOf(command);
    env = env == null ? Map.of() : Map.copyOf(env);
    logOptions = logOptions == null ? LogOptions.DEFAULT : LogOptions.DEFAULT.with(logOptions);
  }

  /** A launch with no limits and the default log options. */
  public TaskLaunch(String taskId, String taskName, String netns, String image, List<String> command,
      Map<String, String> env, Path logFile, Path stateDir) {
    this(taskId, taskName, netns, image, command, env, logFile, stateDir, null, null);
  }
}
