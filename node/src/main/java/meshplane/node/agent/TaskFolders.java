package meshplane.node.agent;

import meshplane.cluster.model.TaskIds;
import meshplane.node.exec.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import meshplane.node.exec.ProcessExecutor;

/**
 * Where the agent keeps its tasks' files: {@code <logs>/<task id>.log} (the task's output, kept
 * after it ended, for {@code service logs}) and {@code <tasks>/<task id>/}, the task's state
 * folder, holding the executor's files and {@value #EXECUTOR_FILE}, the name of the executor
 * that runs it, so a task an earlier run of the agent left behind can be found and stopped.
 */
final class TaskFolders {
  static final String EXECUTOR_FILE = "executor";

  private final Path logsDir;
  private final Path tasksDir;

  TaskFolders(Path logsDir, Path tasksDir) {
    this.logsDir = logsDir;
    this.tasksDir = tasksDir;
  }

  /** The task's log file; an id that is no task id (a path, dots) is refused, never resolved. */
  Path logFile(String taskId) {
    return logsDir.resolve(TaskIds.check("task id", taskId) + ".log");
  }

  Path logsDir() {
    return logsDir;
  }

  Path stateDir(String taskId) {
    return tasksDir.resolve(TaskIds.check("task id", taskId));
  }

  /** Makes the log folder and the task's state folder, and records the executor that runs it. */
  void create(String taskId, String executor) {
    Path dir = stateDir(taskId);
    try {
      Files.createDirectories(logsDir);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(EXECUTOR_FILE), executor);
    } catch (IOException e) {
      throw new UncheckedIOException("task " + taskId + ": cannot make its folders " + dir + " and " + logsDir + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * The executor recorded for a task that has a state folder; {@code process} for a folder of
   * an agent that recorded none; empty when there is no folder.
   */
  Optional<String> executorOf(String taskId) {
    Path dir = stateDir(taskId);
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(dir.resolve(EXECUTOR_FILE)).strip());
    } catch (IOException e) {
      return Optional.of(ProcessExecutor.NAME);
    }
  }

  /** The ids of every task that has a state folder. */
  List<String> withStateFolder() {
    try (Stream<Path> list = Files.list(tasksDir)) {
      // a folder whose name is no task id is nobody's: neither adopted nor removed
      return list.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(TaskIds::valid).toList();
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the task state folders in " + tasksDir + ": " + e.getMessage(), e);
    }
  }

  /** Removes a task's state folder (for a task no executor of this node can clean up). */
  void deleteStateDir(String taskId) {
    Path dir = stateDir(taskId);
    Folders.deleteTree(dir, "task " + taskId + ": cannot remove its state folder " + dir);
  }

}
