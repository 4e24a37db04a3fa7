package meshplane.node.exec;

import java.util.List;
import java.util.Optional;
import meshplane.whoami.Whoami;
import meshplane.whoami.WhoamiJvm;

/**
 * The images built into meshplane, by name. Each names its main class by a class literal, so a
 * renamed or moved workload breaks the build instead of a task at run time.
 */
public final class BuiltinImages {
  /** {@code meshplane/whoami} (docs/executors.md), on port 80 unless told otherwise. */
  public static final BuiltinImage WHOAMI = new BuiltinImage("meshplane/whoami", Whoami.class.getName(),
      WhoamiJvm.FLAGS, List.of("--port", "80"));

  private static final List<BuiltinImage> ALL = List.of(WHOAMI);

  private BuiltinImages() {}

  public static Optional<BuiltinImage> find(String image) {
    return ALL.stream().filter(b -> b.names(image)).findFirst();
  }

  public static List<BuiltinImage> all() {
    return ALL;
  }
}
