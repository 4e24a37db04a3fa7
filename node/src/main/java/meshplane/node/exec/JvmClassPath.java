package meshplane.node.exec;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * This JVM's class path with every entry made absolute, for the JVMs meshplane starts itself
 * (node daemons, {@code meshplane/whoami} tasks), which run in another working directory.
 */
public final class JvmClassPath {
  private JvmClassPath() {}

  public static String absolute() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> !e.isEmpty())
        .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
        .collect(Collectors.joining(File.pathSeparator));
  }
}
