package meshplane.node.exec;

import java.util.List;

/**
 * An image the process executor runs from the agent's own class path: {@code repository} (any
 * {@code :tag} too) is the program {@code mainClass} on the JVM {@code jvmFlags} ask for, with the
 * service's COMMAND ARG as its arguments, or {@code defaultArgs} when it gives none.
 */
public record BuiltinImage(String repository, String mainClass, List<String> jvmFlags, List<String> defaultArgs) {
  public BuiltinImage {
    jvmFlags = List.copyOf(jvmFlags);
    defaultArgs = List.copyOf(defaultArgs);
  }

  /** {@code repository} itself or {@code repository:tag}. */
  public boolean names(String image) {
    return image.equals(repository) || image.startsWith(repository + ":");
  }

  List<String> argv(AgentJvm jvm, List<String> command) {
    return jvm.argv(jvmFlags, mainClass, command.isEmpty() ? defaultArgs : command);
  }
}
