package meshplane.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A docker engine for tests: {@code scripts/docker-engine.sh start} and {@code image} (a dockerd
 * with no bridge and no iptables, and meshplane/busybox), and {@code stop} afterwards if the
 * engine was not running before. A test that needs it fails with the script's output when the
 * engine cannot be had; it never skips.
 */
public final class DockerEngineFixture {
  private final boolean ranBefore;

  private DockerEngineFixture(boolean ranBefore) {
    this.ranBefore = ranBefore;
  }

  /** Starts the engine and builds the image; throws naming the step that failed. */
  public static DockerEngineFixture start() {
    boolean before = Command.run(script().toString(), "status").output().contains("dockerd: running");
    for (String step : List.of("start", "image")) {
      Command.Result r = Command.run(300, script().toString(), step);
      if (!r.ok()) {
        throw new AssertionError("docker-engine.sh " + step + " exited " + r.exitCode() + ": " + r.output());
      }
    }
    return new DockerEngineFixture(before);
  }

  /** Stops the engine this fixture started (one that ran before is left running). */
  public void stop() {
    if (!ranBefore) {
      Command.Result r = Command.run(120, script().toString(), "stop");
      if (!r.ok()) {
        throw new AssertionError("docker-engine.sh stop: " + r.output());
      }
    }
  }

  /** scripts/docker-engine.sh of the checkout the test runs in, found upwards from the working directory. */
  public static Path script() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path s = d.resolve("scripts/docker-engine.sh");
      if (Files.isRegularFile(s)) {
        return s;
      }
    }
    throw new IllegalStateException("scripts/docker-engine.sh not found above " + Path.of("").toAbsolutePath());
  }
}
