package meshplane.testkit;

import java.nio.file.Path;

/**
 * A named network namespace that {@link FreshNamespaces} made for one test ({@code ip netns add
 * NAME}), deleted after it. Tools reach it as {@code ip -n NAME} or {@code ip netns exec NAME}.
 */
public record TestNamespace(String name) {
  /** Where iproute2 keeps named namespaces. */
  public static final Path RUN_NETNS = Path.of("/run/netns");

  public TestNamespace {
    if (name == null || !name.startsWith(FreshNamespaces.PREFIX) || name.contains("/")) {
      throw new IllegalArgumentException("a test namespace's name starts with " + FreshNamespaces.PREFIX
          + " and has no '/': " + name);
    }
  }

  /** The bind mount of the namespace, {@code /run/netns/NAME}. */
  public Path path() {
    return RUN_NETNS.resolve(name);
  }

  @Override
  public String toString() {
    return "test netns " + name;
  }
}
