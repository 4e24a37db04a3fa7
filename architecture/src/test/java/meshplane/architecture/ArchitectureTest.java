package meshplane.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTag;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceRule;
import java.util.ArrayList;
import java.util.List;

/**
 * The build check over the main classes of every module on the test classpath (test classes are
 * not imported): no cycle between packages, modules depending on lower layers only
 * ({@link Layers}), no main class using JUnit. The few violations of today's code are let
 * through by name ({@link Freezes}) until the work that removes them lands. Runs in the unit tier.
 */
@ArchTag("unit")
@AnalyzeClasses(packages = "meshplane", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Every package its own slice: {@code meshplane.cluster.api} and {@code meshplane.cluster.manager} are two. */
  @ArchTest
  static final ArchRule packagesFormNoCycle = packageCycleRule();

  @ArchTest
  static final ArchRule modulesDependDownwardOnly = Layers.rule(Freezes.LAYERS);

  /** testkit and testkit-lab are test code that lives in main folders: they are the exception. */
  @ArchTest
  static final ArchRule mainCodeUsesNoJUnit = noClasses().that().resideOutsideOfPackages("meshplane.testkit..")
      .should().dependOnClassesThat().resideInAPackage("org.junit..")
      .because("JUnit is a test-scope dependency: fixtures live in testkit and testkit-lab");

  /** A freeze whose dependency is gone must go too, or it would let the next such dependency through. */
  @ArchTest
  static void everyFreezeStillCoversADependency(JavaClasses classes) {
    List<String> stale = new ArrayList<>();
    for (FrozenDependency f : concat(Freezes.LAYERS, Freezes.CYCLES)) {
      if (f.occurrences(classes).isEmpty()) {
        stale.add(f + ": no such dependency any more (it was there because " + f.why() + "; removed by "
            + f.removedBy() + "): delete the freeze in Freezes");
      }
    }
    if (!stale.isEmpty()) {
      throw new AssertionError(String.join("\n", stale));
    }
  }

  private static ArchRule packageCycleRule() {
    SliceRule rule = slices().matching("meshplane.(**)").namingSlices("$1").should().beFreeOfCycles();
    for (FrozenDependency f : Freezes.CYCLES) {
      rule = rule.ignoreDependency(f.from(), f.to());
    }
    return rule;
  }

  private static List<FrozenDependency> concat(List<FrozenDependency> a, List<FrozenDependency> b) {
    List<FrozenDependency> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
