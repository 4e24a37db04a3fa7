package meshplane.architecture;

import java.util.List;

/**
 * The violations of today's code that the rules let through, each until the work it names lands.
 * Nothing may be added here without the same: a name, the reason, what removes it. (Issue 12
 * removed the last two: embedded-dns reading routing-mesh's state, now module dataplane, and the
 * cycle mesh &lt;-&gt; mesh.lb, now that MeshNames has a package of its own.)
 */
final class Freezes {
  /** Let through by {@link Layers#rule}. */
  static final List<FrozenDependency> LAYERS = List.of();

  /** Let through by the package-cycle rule. */
  static final List<FrozenDependency> CYCLES = List.of();

  private Freezes() {}
}
