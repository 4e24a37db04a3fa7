package meshplane.node.exec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What the process executor runs for a service's IMAGE and COMMAND ARG: a {@link BuiltinImage}
 * ({@code meshplane/whoami}, optionally {@code :tag}) runs on the agent's JVM with the command as
 * its arguments (the image's defaults when there are none); any other image is a program on the
 * node, an absolute path or a name found on the task's PATH, with the command as its arguments.
 * The first element is always an absolute path.
 */
public record TaskProgram(List<String> argv) {
  /** The PATH a task gets when its environment has none (docker's default). */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  public TaskProgram {
    argv = List.copyOf(argv);
  }

  /** @throws IllegalArgumentException naming the image when it is neither built in nor a program on this node */
  public static TaskProgram resolve(String image, List<String> command, Map<String, String> env, AgentJvm jvm) {
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException("image: the process executor needs a program, got none");
    }
    Optional<BuiltinImage> builtin = BuiltinImages.find(image);
    if (builtin.isPresent()) {
      return new TaskProgram(builtin.get().argv(jvm, command));
    }
    List<String> argv = new ArrayList<>();
    argv.add(find(image, env.getOrDefault("PATH", DEFAULT_PATH))
        .orElseThrow(() -> new IllegalArgumentException("image '" + image + "': no such program on this node"
            + " (the process executor runs " + builtinNames() + ", an absolute path, or a name on PATH)"))
        .toString());
    argv.addAll(command);
    return new TaskProgram(argv);
  }

  private static String builtinNames() {
    return BuiltinImages.all().stream().map(BuiltinImage::repository).collect(Collectors.joining(", "));
  }

  /** An absolute path that is an executable file, or a bare name looked up in {@code path}. */
  static Optional<Path> find(String program, String path) {
    if (program.startsWith("/")) {
      Path p = Path.of(program);
      return executable(p) ? Optional.of(p) : Optional.empty();
    }
    if (program.contains("/")) {
      return Optional.empty();
    }
    for (String dir : path.split(":")) {
      if (dir.startsWith("/")) {
        Path p = Path.of(dir, program);
        if (executable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  private static boolean executable(Path p) {
    return Files.isRegularFile(p) && Files.isExecutable(p);
  }
}
