package meshplane.cluster.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RandomIdsTest {
  @Test
  void idsAre25LowercaseAlphanumericsAndDiffer() {
    RandomIds ids = new RandomIds();
    Set<String> seen = new HashSet<>();
    Set<Character> chars = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = ids.newId();
      assertTrue(id.matches("[a-z0-9]{25}"), id);
      assertTrue(seen.add(id), id);
      id.chars().forEach(c -> chars.add((char) c));
    }
    assertEquals(36, chars.size(), "every letter and digit turns up in 25000 draws");
  }
}
