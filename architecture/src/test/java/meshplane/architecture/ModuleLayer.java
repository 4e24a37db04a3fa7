package meshplane.architecture;

import java.util.List;

/**
 * One module's place in the layer order: its name (as the rules print it), the packages its main
 * classes live in, and its tier. A module may depend on modules of lower tiers only; modules of
 * one tier are independent of each other.
 */
record ModuleLayer(String name, int tier, List<String> packages) {
  ModuleLayer {
    packages = List.copyOf(packages);
  }

  static ModuleLayer of(String name, int tier, String... packages) {
    return new ModuleLayer(name, tier, List.of(packages));
  }

  String[] packageIdentifiers() {
    return packages.toArray(String[]::new);
  }
}
