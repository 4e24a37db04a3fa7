package meshplane.node.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removal of a folder tree meshplane made (a task's state, a daemon's state, a lab's logs and pids). */
public final class Folders {
  private Folders() {}

  public static void deleteTree(Path p) {
    deleteTree(p, "cannot remove " + p);
  }

  /** Removes {@code p} and all below it (nothing when it is absent or null); {@code failure} says what could not be removed. */
  public static void deleteTree(Path p, String failure) {
    if (p == null || !Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(failure + ": " + e.getMessage(), e);
    }
  }
}
