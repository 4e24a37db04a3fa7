package meshplane.cluster.model;

import java.util.AbstractMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.pcollections.TreePMap;

/**
 * One kind of record of the {@link ClusterState} by id, sorted by id, as a persistent map: a
 * change ({@link #plus}, {@link #minus}) makes a new table that shares every unchanged branch
 * with the old one, in O(log n), and the old one stays as it was. Secondary {@link Index indexes}
 * (tasks by service, services by name, ...) are kept the same way, so a lookup by one of them
 * costs O(log n + hits) instead of a scan. Read-only as a {@link Map}: serialised as the plain
 * sorted map of id to record, and equal to any map with the same entries.
 */
public final class SortedTable<V> extends AbstractMap<String, V> {

  /**
   * A secondary index: the keys a record is found under ({@code keys} may give none, or several:
   * a service under each of its published ports).
   */
  public record Index<V>(String name, Function<V, Collection<String>> keys) {
    /** An index with one key per record. */
    public static <V> Index<V> of(String name, Function<V, String> key) {
      return new Index<>(name, v -> List.of(key.apply(v)));
    }
  }

  private final TreePMap<String, V> rows;
  private final List<Index<V>> indexes;
  /** Per index (same order as {@link #indexes}): key to the records under it, by id. */
  private final List<TreePMap<String, TreePMap<String, V>>> byKey;

  private SortedTable(TreePMap<String, V> rows, List<Index<V>> indexes, List<TreePMap<String, TreePMap<String, V>>> byKey) {
    this.rows = rows;
    this.indexes = indexes;
    this.byKey = byKey;
  }

  /** An empty table with {@code indexes}. */
  @SafeVarargs
  public static <V> SortedTable<V> empty(Index<V>... indexes) {
    List<TreePMap<String, TreePMap<String, V>>> empty = java.util.Arrays.stream(indexes)
        .map(i -> TreePMap.<String, TreePMap<String, V>>empty()).toList();
    return new SortedTable<>(TreePMap.empty(), List.of(indexes), empty);
  }

  /**
   * {@code rows} as a table with the indexes of {@code like}: {@code rows} itself when it is a
   * table with the same indexes (O(1): how every change keeps its sharing), else built (O(n log n):
   * a decoded snapshot, a map built by hand).
   */
  public static <V> SortedTable<V> from(Map<String, V> rows, SortedTable<V> like) {
    if (rows instanceof SortedTable<V> t && t.indexes.equals(like.indexes)) {
      return t;
    }
    SortedTable<V> t = like.emptied();
    if (rows != null) {
      for (Map.Entry<String, V> e : rows.entrySet()) {
        t = t.plus(e.getKey(), e.getValue());
      }
    }
    return t;
  }

  private SortedTable<V> emptied() {
    return rows.isEmpty() ? this : empty(indexes.toArray(Index[]::new));
  }

  /** The table with {@code v} under {@code id} (replacing what was there). */
  public SortedTable<V> plus(String id, V v) {
    V old = rows.get(id);
    if (old == v) {
      return this;
    }
    List<TreePMap<String, TreePMap<String, V>>> next = new java.util.ArrayList<>(byKey.size());
    for (int i = 0; i < indexes.size(); i++) {
      TreePMap<String, TreePMap<String, V>> idx = byKey.get(i);
      if (old != null) {
        idx = unindex(idx, indexes.get(i).keys().apply(old), id);
      }
      for (String k : indexes.get(i).keys().apply(v)) {
        idx = idx.plus(k, idx.getOrDefault(k, TreePMap.empty()).plus(id, v));
      }
      next.add(idx);
    }
    return new SortedTable<>(rows.plus(id, v), indexes, next);
  }

  /** The table without {@code id} (the same table when it has none). */
  public SortedTable<V> minus(String id) {
    V old = rows.get(id);
    if (old == null) {
      return this;
    }
    List<TreePMap<String, TreePMap<String, V>>> next = new java.util.ArrayList<>(byKey.size());
    for (int i = 0; i < indexes.size(); i++) {
      next.add(unindex(byKey.get(i), indexes.get(i).keys().apply(old), id));
    }
    return new SortedTable<>(rows.minus(id), indexes, next);
  }

  private static <V> TreePMap<String, TreePMap<String, V>> unindex(TreePMap<String, TreePMap<String, V>> idx,
      Collection<String> keys, String id) {
    for (String k : keys) {
      TreePMap<String, V> under = idx.get(k);
      if (under != null) {
        TreePMap<String, V> rest = under.minus(id);
        idx = rest.isEmpty() ? idx.minus(k) : idx.plus(k, rest);
      }
    }
    return idx;
  }

  /** The records found under {@code key} in {@code index}, sorted by id. */
  public Collection<V> where(Index<V> index, String key) {
    int i = indexes.indexOf(index);
    if (i < 0) {
      throw new IllegalArgumentException("this table has no index " + index.name() + " (it has "
          + indexes.stream().map(Index::name).toList() + ")");
    }
    TreePMap<String, V> under = byKey.get(i).get(key);
    return under == null ? List.of() : under.values();
  }

  /** The keys of {@code index} that have records, sorted. */
  public java.util.NavigableSet<String> keysOf(Index<V> index) {
    return byKey.get(indexes.indexOf(index)).keySet();
  }

  /** The records whose id starts with {@code prefix}, sorted by id (O(log n + hits)). */
  public Collection<V> withIdPrefix(String prefix) {
    return rows.subMap(prefix, true, prefix + Character.MAX_VALUE, false).values();
  }

  /** Whether some id starts with {@code prefix} (O(log n)). */
  public boolean hasIdPrefix(String prefix) {
    String k = rows.ceilingKey(prefix);
    return k != null && k.startsWith(prefix);
  }

  @Override
  public V get(Object id) {
    return rows.get(id);
  }

  @Override
  public boolean containsKey(Object id) {
    return rows.containsKey(id);
  }

  @Override
  public int size() {
    return rows.size();
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    return rows.entrySet();
  }

  @Override
  public Set<String> keySet() {
    return rows.keySet();
  }

  @Override
  public Collection<V> values() {
    return rows.values();
  }
}
