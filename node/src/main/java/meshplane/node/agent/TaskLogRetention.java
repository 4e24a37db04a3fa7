package meshplane.node.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import meshplane.cluster.model.TaskIds;

/**
 * How many ended tasks' logs a node keeps: every task the agent still has keeps its log; of the
 * others (ended and forgotten, for {@code service logs} afterwards), the {@value #KEEP_ENDED}
 * written to last keep theirs and older ones are removed, all their rotated files with them. Each
 * log is bounded by its rotation, so the folder is bounded too: a task that fails and is
 * replaced again and again (a new task id each time) no longer adds a log each time without end.
 * Docker's counterpart is swarm's task history limit, which removes old tasks' containers and
 * their logs.
 */
final class TaskLogRetention {
  static final int KEEP_ENDED = 50;

  private TaskLogRetention() {}

  /** Removes the logs in {@code logsDir} of tasks not in {@code live} beyond the newest {@code keepEnded}; how many went. */
  static int prune(Path logsDir, Set<String> live, int keepEnded) {
    Map<String, FileTime> newest = new HashMap<>();
    Map<String, List<Path>> files = new HashMap<>();
    try (Stream<Path> list = Files.list(logsDir)) {
      for (Path f : list.toList()) {
        String name = f.getFileName().toString();
        int dot = name.indexOf(".log");
        if (dot <= 0 || !TaskIds.valid(name.substring(0, dot)) || live.contains(name.substring(0, dot))) {
          continue;
        }
        String id = name.substring(0, dot);
        FileTime t = Files.getLastModifiedTime(f);
        newest.merge(id, t, (a, b) -> a.compareTo(b) >= 0 ? a : b);
        files.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(f);
      }
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the task logs in " + logsDir + ": " + e.getMessage(), e);
    }
    List<String> removed = newest.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.reverseOrder()))
        .skip(keepEnded).map(Map.Entry::getKey).toList();
    for (String id : removed) {
      for (Path f : files.get(id)) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot remove the ended task's log " + f + ": " + e.getMessage(), e);
        }
      }
    }
    return removed.size();
  }
}
