package meshplane.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import java.util.List;

/**
 * A dependency a rule lets through for now, by name: which classes depend on which, why the
 * dependency is there and what removes it. {@link ArchitectureTest} fails once it no longer
 * occurs, so a freeze goes with the dependency it covered.
 */
record FrozenDependency(String name, DescribedPredicate<JavaClass> from, DescribedPredicate<JavaClass> to,
    String why, String removedBy) {

  /** The dependencies of the main classes that the freeze covers, as ArchUnit describes them. */
  List<String> occurrences(JavaClasses classes) {
    return classes.stream().filter(from)
        .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
        .filter(d -> to.test(d.getTargetClass()))
        .map(Dependency::getDescription)
        .toList();
  }

  @Override
  public String toString() {
    return name + " (" + from.getDescription() + " -> " + to.getDescription() + ")";
  }
}
