package meshplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import meshplane.lab.HostCommand;

/** meshctl run as a user runs it (scripts/meshctl of the checkout), bounded in time, output merged. */
final class MeshctlCli {
  private MeshctlCli() {}

  static HostCommand.Result run(int timeoutSeconds, String... args) {
    List<String> argv = new ArrayList<>(List.of(Bench.meshctl().toString()));
    argv.addAll(Arrays.asList(args));
    try {
      return HostCommand.await(new ProcessBuilder(argv).redirectErrorStream(true).start(), argv, timeoutSeconds);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
    }
  }
}
