package meshplane.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.List;

/**
 * The layer order of the modules, lowest first, as packages:
 *
 * <pre>
 *   0  json, netlink, netty-io, pki, testkit  (no meshplane module below them)
 *   1  lab, vxlan, ipvs-ctl, iptables-ctl, dataplane, whoami
 *   2  routing-mesh, embedded-dns
 *   3  cluster
 *   4  node
 *   5  meshctl
 *   6  bench
 *   testkit-lab                            (on lab and testkit; test scope for the others)
 * </pre>
 *
 * A module may use modules of lower tiers only, and no main module uses testkit or testkit-lab
 * (Maven's test scope says so too; the rule says it for the classes). A new module gets a line in
 * {@link #MODULES} and a test-scope dependency in architecture/pom.xml.
 */
final class Layers {
  static final List<ModuleLayer> MODULES = List.of(
      ModuleLayer.of("json", 0, "meshplane.json.."),
      ModuleLayer.of("netlink", 0, "meshplane.netlink.."),
      ModuleLayer.of("netty-io", 0, "meshplane.nettyio.."),
      ModuleLayer.of("pki", 0, "meshplane.pki.."),
      ModuleLayer.of("whoami", 1, "meshplane.whoami.."),
      ModuleLayer.of("dataplane", 1, "meshplane.dataplane.."),
      ModuleLayer.of("lab", 1, "meshplane.lab.."),
      ModuleLayer.of("vxlan", 1, "meshplane.vxlan.."),
      ModuleLayer.of("ipvs-ctl", 1, "meshplane.ipvs.."),
      ModuleLayer.of("iptables-ctl", 1, "meshplane.nft.."),
      ModuleLayer.of("routing-mesh", 2, "meshplane.mesh.."),
      ModuleLayer.of("embedded-dns", 2, "meshplane.dns.."),
      ModuleLayer.of("cluster", 3, "meshplane.cluster.."),
      ModuleLayer.of("node", 4, "meshplane.node.."),
      ModuleLayer.of("meshctl", 5, "meshplane.cli.."),
      ModuleLayer.of("bench", 6, "meshplane.bench.."));

  static final ModuleLayer TESTKIT = ModuleLayer.of("testkit", 0, "meshplane.testkit");
  static final ModuleLayer TESTKIT_LAB = ModuleLayer.of("testkit-lab", 2, "meshplane.testkit.lab..");

  private Layers() {}

  /** The layered rule over {@link #MODULES} and the two testkits, minus the {@code frozen} dependencies. */
  static LayeredArchitecture rule(List<FrozenDependency> frozen) {
    LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true);
    for (ModuleLayer m : MODULES) {
      rule = rule.layer(m.name()).definedBy(m.packageIdentifiers());
    }
    rule = rule.layer(TESTKIT.name()).definedBy(TESTKIT.packageIdentifiers())
        .layer(TESTKIT_LAB.name()).definedBy(TESTKIT_LAB.packageIdentifiers());
    for (ModuleLayer m : MODULES) {
      String[] below = MODULES.stream().filter(o -> o.tier() < m.tier()).map(ModuleLayer::name).toArray(String[]::new);
      rule = below.length == 0 ? rule.whereLayer(m.name()).mayNotAccessAnyLayer()
          : rule.whereLayer(m.name()).mayOnlyAccessLayers(below);
    }
    rule = rule.whereLayer(TESTKIT.name()).mayNotAccessAnyLayer()
        .whereLayer(TESTKIT.name()).mayOnlyBeAccessedByLayers(TESTKIT_LAB.name())
        .whereLayer(TESTKIT_LAB.name()).mayOnlyAccessLayers("lab", "netlink", "json", TESTKIT.name())
        .whereLayer(TESTKIT_LAB.name()).mayNotBeAccessedByAnyLayer();
    for (FrozenDependency f : frozen) {
      rule = rule.ignoreDependency(f.from(), f.to());
    }
    return rule;
  }
}
