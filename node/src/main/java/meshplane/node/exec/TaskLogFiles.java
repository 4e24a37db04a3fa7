package meshplane.node.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one task log, as docker's json-file driver keeps them: {@code <log>} is written
 * to; when it reaches the service's {@code max-size} it becomes {@code <log>.1}, {@code <log>.1}
 * becomes {@code <log>.2}, and so on, keeping {@code max-file} files in all (the oldest is
 * removed). The process executor's writer does the same in shell ({@link TaskCommandLine#LOG_WRITER}).
 */
final class TaskLogFiles {
  /** More rotated files than this are never looked for (the spec allows 100 in all). */
  static final int MAX_ROTATED = 100;

  private TaskLogFiles() {}

  static Path rotated(Path log, int i) {
    return log.resolveSibling(log.getFileName() + "." + i);
  }

  /** The log's files that exist, oldest first, the one written to last (when it exists). */
  static List<Path> oldestFirst(Path log) {
    List<Path> files = new ArrayList<>();
    for (int i = 1; i <= MAX_ROTATED && Files.exists(rotated(log, i)); i++) {
      files.add(0, rotated(log, i));
    }
    if (Files.exists(log)) {
      files.add(log);
    }
    return files;
  }

  /** Every file of the log, current and rotated (for removing them). */
  static void deleteAll(Path log) {
    try {
      Files.deleteIfExists(log);
      for (int i = 1; i <= MAX_ROTATED; i++) {
        Files.deleteIfExists(rotated(log, i));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the task log " + log + ": " + e.getMessage(), e);
    }
  }

  /** Shifts the files by one, keeping {@code maxFile} in all: the current one becomes {@code .1}; with one file, it is emptied. */
  static void rotate(Path log, int maxFile) {
    try {
      if (maxFile <= 1) {
        Files.deleteIfExists(log);
        return;
      }
      Files.deleteIfExists(rotated(log, maxFile - 1));
      for (int i = maxFile - 2; i >= 1; i--) {
        if (Files.exists(rotated(log, i))) {
          Files.move(rotated(log, i), rotated(log, i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      if (Files.exists(log)) {
        Files.move(log, rotated(log, 1), StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rotate the task log " + log + ": " + e.getMessage(), e);
    }
  }
}
