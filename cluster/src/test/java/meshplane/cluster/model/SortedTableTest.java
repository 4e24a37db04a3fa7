package meshplane.cluster.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The persistent table: changes leave the old table as it was, indexes follow every change. */
@Tag("unit")
class SortedTableTest {
  record Row(String id, String group, List<String> tags) {}

  private static final SortedTable.Index<Row> BY_GROUP = SortedTable.Index.of("group", Row::group);
  private static final SortedTable.Index<Row> BY_TAG = new SortedTable.Index<>("tag", Row::tags);
  private static final SortedTable<Row> EMPTY = SortedTable.empty(BY_GROUP, BY_TAG);

  private static SortedTable<Row> of(Row... rows) {
    SortedTable<Row> t = EMPTY;
    for (Row r : rows) {
      t = t.plus(r.id(), r);
    }
    return t;
  }

  @Test
  void aChangeMakesANewTableAndLeavesTheOldOneAsItWas() {
    Row a = new Row("a", "g1", List.of("x"));
    Row b = new Row("b", "g1", List.of("x", "y"));
    SortedTable<Row> one = of(a);
    SortedTable<Row> two = one.plus("b", b);
    assertEquals(List.of("a"), List.copyOf(one.keySet()));
    assertEquals(List.of("a", "b"), List.copyOf(two.keySet()));
    assertEquals(List.of(a), List.copyOf(one.where(BY_GROUP, "g1")));
    assertEquals(List.of(a, b), List.copyOf(two.where(BY_GROUP, "g1")));
    assertSame(two, two.plus("b", b), "the same record again: the same table");
    assertSame(two, two.minus("nosuch"));
  }

  @Test
  void indexesFollowReplacementsAndRemovals() {
    SortedTable<Row> t = of(new Row("c", "g2", List.of("x")), new Row("a", "g1", List.of("x", "y")), new Row("b", "g1", List.of()));
    assertEquals(List.of("a", "b"), t.where(BY_GROUP, "g1").stream().map(Row::id).toList(), "sorted by id");
    assertEquals(List.of("a", "c"), t.where(BY_TAG, "x").stream().map(Row::id).toList(), "one record under several keys");
    t = t.plus("a", new Row("a", "g2", List.of("y")));
    assertEquals(List.of("b"), t.where(BY_GROUP, "g1").stream().map(Row::id).toList());
    assertEquals(List.of("a", "c"), t.where(BY_GROUP, "g2").stream().map(Row::id).toList());
    assertEquals(List.of("c"), t.where(BY_TAG, "x").stream().map(Row::id).toList(), "a's old key is gone");
    t = t.minus("c");
    assertEquals(List.of(), List.copyOf(t.where(BY_TAG, "x")));
    assertEquals(java.util.Set.of("y"), t.keysOf(BY_TAG), "a key with no record left is dropped");
    assertThrows(IllegalArgumentException.class, () -> of().where(SortedTable.Index.of("other", Row::id), "a"));
  }

  @Test
  void idPrefixesAreFoundWithoutAScan() {
    SortedTable<Row> t = of(new Row("abc1", "g", List.of()), new Row("abc2", "g", List.of()), new Row("abd", "g", List.of()));
    assertEquals(List.of("abc1", "abc2"), t.withIdPrefix("abc").stream().map(Row::id).toList());
    assertTrue(t.hasIdPrefix("abd"));
    assertFalse(t.hasIdPrefix("abe"));
    assertFalse(t.hasIdPrefix("abc3"));
  }

  @Test
  void itIsAPlainSortedMapToReadersAndToJson() throws Exception {
    Row a = new Row("a", "g", List.of());
    Row b = new Row("b", "g", List.of());
    SortedTable<Row> t = of(b, a);
    Map<String, Row> plain = new TreeMap<>(Map.of("a", a, "b", b));
    assertEquals(plain, t);
    assertEquals(t, plain);
    assertEquals(plain.hashCode(), t.hashCode());
    ObjectMapper json = new ObjectMapper();
    assertEquals(json.writeValueAsString(plain), json.writeValueAsString(t));
    assertThrows(UnsupportedOperationException.class, () -> t.put("c", a));
    assertSame(t, SortedTable.from(t, EMPTY), "a table with the same indexes is taken as it is");
    assertEquals(t, SortedTable.from(plain, EMPTY));
    assertEquals(List.of(a, b), List.copyOf(SortedTable.from(plain, EMPTY).where(BY_GROUP, "g")), "a plain map gets the indexes");
  }
}
