package meshplane.dns;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/** The answers of {@code dig +short}: its lines as a set, blank ones left out. */
final class DigAnswers {
  private DigAnswers() {}

  static Set<String> of(String out) {
    Set<String> s = new TreeSet<>(Arrays.asList(out.strip().split("\n")));
    s.remove("");
    return s;
  }
}
