package meshplane.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the benchmarks find the project: scripts/bench-java passes its root as {@code -Dmeshplane.root}. */
final class Bench {
  private Bench() {
  }

  /** The checkout the benchmark runs from. */
  static Path root() {
    String root = System.getProperty("meshplane.root");
    if (root == null) {
      throw new IllegalStateException("meshplane.root is not set: run the benchmark through scripts/bench-*.sh");
    }
    return Path.of(root);
  }

  /** scripts/meshctl of that checkout: the CLI as a user runs it. */
  static Path meshctl() {
    Path p = root().resolve("scripts/meshctl");
    if (!Files.isExecutable(p)) {
      throw new IllegalStateException(p + ": not found or not executable");
    }
    return p;
  }
}
