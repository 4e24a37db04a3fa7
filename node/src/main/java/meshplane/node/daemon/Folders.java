package meshplane.node.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Removal of a folder tree meshplane made (a daemon's state, a lab's logs and pids). */
public final class Folders {
  private Folders() {}

  public static void deleteTree(Path p) {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(x);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot remove " + p, e);
    }
  }
}
