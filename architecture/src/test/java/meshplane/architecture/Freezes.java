package meshplane.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleName;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import java.util.List;

/**
 * The violations of today's code that the rules let through, each until the work it names lands.
 * Nothing else may be added here without the same: a name, the reason, what removes it.
 */
final class Freezes {
  /**
   * embedded-dns reads routing-mesh's desired-state records (DnsServer.apply and RecordTable.from
   * take {@code meshplane.mesh.state.DataplaneState}): a module using a module of its own tier.
   */
  static final FrozenDependency DNS_READS_THE_MESH_STATE = new FrozenDependency(
      "DNS_READS_THE_MESH_STATE",
      resideInAPackage("meshplane.dns.."), resideInAPackage("meshplane.mesh.state.."),
      "the desired state both modules read lives in routing-mesh",
      "issue 12's typed data-plane model that routing-mesh and embedded-dns both use"
          + " (embedded-dns no longer depends on routing-mesh)");

  /**
   * The package cycle meshplane.mesh -> meshplane.mesh.lb -> meshplane.mesh: MeshReconciler and
   * NetnsWalk use mesh.lb (LbMode, MeshPlan, MeshTable, IpvsBalancer), and mesh.lb's MeshPlan names
   * the sandboxes with mesh's MeshNames (ingressSandbox, lbSandbox). Only that edge is let through.
   */
  static final FrozenDependency MESH_LB_NAMES_SANDBOXES_WITH_MESH_NAMES = new FrozenDependency(
      "MESH_LB_NAMES_SANDBOXES_WITH_MESH_NAMES",
      resideInAPackage("meshplane.mesh.lb.."), inPackage("meshplane.mesh").and(simpleName("MeshNames")),
      "the sandbox naming rule lives in the package of the reconciler that uses mesh.lb",
      "issue 12's split of MeshReconciler into observe / plan / program, with the naming rule in one"
          + " place below the planner (else: move MeshNames under mesh.lb's users, e.g. its own package)");

  /** Let through by {@link Layers#rule}. */
  static final List<FrozenDependency> LAYERS = List.of(DNS_READS_THE_MESH_STATE);

  /** Let through by the package-cycle rule. */
  static final List<FrozenDependency> CYCLES = List.of(MESH_LB_NAMES_SANDBOXES_WITH_MESH_NAMES);

  private Freezes() {}

  private static DescribedPredicate<JavaClass> inPackage(String name) {
    return DescribedPredicate.describe("in package " + name, c -> c.getPackageName().equals(name));
  }
}
