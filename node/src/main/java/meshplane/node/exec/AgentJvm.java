package meshplane.node.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM a {@link BuiltinImage} runs on: the agent's own {@code java} and class path (absolute,
 * {@link JvmClassPath}), so a built-in workload is the same build as the node that runs it.
 */
public record AgentJvm(String java, String classPath) {

  /** This JVM's. */
  public static AgentJvm current() {
    String java = ProcessHandle.current().info().command().orElseThrow(
        () -> new IllegalStateException("the process executor cannot tell which java runs the agent"));
    return new AgentJvm(java, JvmClassPath.absolute());
  }

  /** {@code java -cp <class path> <flags> <main class> <args>}. */
  List<String> argv(List<String> flags, String mainClass, List<String> args) {
    List<String> argv = new ArrayList<>(List.of(java, "-cp", classPath));
    argv.addAll(flags);
    argv.add(mainClass);
    argv.addAll(args);
    return argv;
  }
}
