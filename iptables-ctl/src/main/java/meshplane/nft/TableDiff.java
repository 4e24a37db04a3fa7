package meshplane.nft;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The changes that turn an observed table into the desired one, in an order one atomic batch
 * can apply. Both specs are views of the same scope (a caller may pass a partial table: one
 * service's chain and set, some elements of shared maps); the diff reasons only about what they
 * contain and never deletes what a view does not mention, except that a chain or set listed in
 * {@code observed} but not in {@code desired} is removed.
 *
 * <ul>
 *   <li>chains by name; a chain whose base hook (hook, type, priority) differs is deleted and
 *       added again (the kernel cannot change a hook in place);</li>
 *   <li>sets by name; a changed key type, data type or flags replaces the set, flushing the
 *       chains whose observed rules look it up, so the old set is free to delete;</li>
 *   <li>elements by key; a changed value is a delete and an add;</li>
 *   <li>rules per chain: if a chain's ordered rules (id and expressions) differ at all, the chain
 *       is flushed and every desired rule appended (chains are small; no rule handles).</li>
 * </ul>
 *
 * The order: add table; add chains; add sets; delete elements; flush chains; replace chains and
 * sets (delete, add); add elements; add rules; delete sets; delete chains. Elements are deleted
 * before the chains they jump to, rules are flushed before the sets and chains they reference
 * are deleted, and everything a rule or element names exists before it is added. Equal specs
 * give an empty list.
 */
public final class TableDiff {
  private final List<NftChange> addTable = new ArrayList<>();
  private final List<NftChange> addChains = new ArrayList<>();
  private final List<NftChange> addSets = new ArrayList<>();
  private final List<NftChange> deleteElements = new ArrayList<>();
  private final List<NftChange> flushChains = new ArrayList<>();
  private final List<NftChange> replace = new ArrayList<>();
  private final List<NftChange> addElements = new ArrayList<>();
  private final List<NftChange> addRules = new ArrayList<>();
  private final List<NftChange> deleteSets = new ArrayList<>();
  private final List<NftChange> deleteChains = new ArrayList<>();

  private TableDiff() {}

  /** The changes from {@code observed} (null: the table does not exist) to {@code desired}. */
  public static List<NftChange> diff(TableSpec desired, TableSpec observed) {
    if (observed != null && (observed.family() != desired.family() || !observed.name().equals(desired.name()))) {
      throw new IllegalArgumentException("cannot diff table " + desired.family().keyword() + " " + desired.name()
          + " against table " + observed.family().keyword() + " " + observed.name());
    }
    TableDiff d = new TableDiff();
    if (observed == null) {
      d.addTable.add(new NftChange.AddTable());
      observed = new TableSpec(desired.family(), desired.name(), List.of(), List.of(), List.of());
    }
    Set<String> replacedSets = d.sets(desired, observed);
    d.chainsAndRules(desired, observed, replacedSets);
    List<NftChange> out = new ArrayList<>();
    for (List<NftChange> step : List.of(d.addTable, d.addChains, d.addSets, d.deleteElements, d.flushChains,
        d.replace, d.addElements, d.addRules, d.deleteSets, d.deleteChains)) {
      out.addAll(step);
    }
    return out;
  }

  /** Plans sets and elements; returns the names of the sets that are replaced. */
  private Set<String> sets(TableSpec desired, TableSpec observed) {
    Map<String, SetSpec> seen = new LinkedHashMap<>();
    observed.sets().forEach(s -> seen.put(s.name(), s));
    Set<String> wanted = new LinkedHashSet<>();
    Set<String> replaced = new LinkedHashSet<>();
    for (SetSpec want : desired.sets()) {
      wanted.add(want.name());
      SetSpec have = seen.get(want.name());
      if (have == null) {
        addSets.add(new NftChange.AddSet(withoutElements(want)));
        addAll(want.name(), want.elements());
      } else if (!sameType(want, have)) {
        replaced.add(want.name());
        replace.add(new NftChange.DeleteSet(want.name()));
        replace.add(new NftChange.AddSet(withoutElements(want)));
        addAll(want.name(), want.elements());
      } else {
        elements(want, have);
      }
    }
    for (SetSpec have : observed.sets()) {
      if (!wanted.contains(have.name())) {
        deleteSets.add(new NftChange.DeleteSet(have.name()));
      }
    }
    return replaced;
  }

  private void elements(SetSpec want, SetSpec have) {
    Map<Datum, SetElement> seen = new LinkedHashMap<>();
    have.elements().forEach(e -> seen.put(e.key(), e));
    Set<Datum> wanted = new LinkedHashSet<>();
    List<SetElement> add = new ArrayList<>();
    List<SetElement> delete = new ArrayList<>();
    for (SetElement e : want.elements()) {
      wanted.add(e.key());
      SetElement old = seen.get(e.key());
      if (old == null) {
        add.add(e);
      } else if (!old.equals(e)) {
        delete.add(old);
        add.add(e);
      }
    }
    for (SetElement old : have.elements()) {
      if (!wanted.contains(old.key())) {
        delete.add(old);
      }
    }
    if (!delete.isEmpty()) {
      deleteElements.add(new NftChange.DeleteElements(want.name(), delete));
    }
    addAll(want.name(), add);
  }

  private void addAll(String set, List<SetElement> elements) {
    if (!elements.isEmpty()) {
      addElements.add(new NftChange.AddElements(set, elements));
    }
  }

  private void chainsAndRules(TableSpec desired, TableSpec observed, Set<String> replacedSets) {
    Map<String, ChainSpec> seen = new LinkedHashMap<>();
    observed.chains().forEach(c -> seen.put(c.name(), c));
    Set<String> wanted = new LinkedHashSet<>();
    Set<String> fresh = new LinkedHashSet<>();
    Set<String> rehooked = new LinkedHashSet<>();
    for (ChainSpec want : desired.chains()) {
      wanted.add(want.name());
      ChainSpec have = seen.get(want.name());
      if (have == null) {
        addChains.add(new NftChange.AddChain(want));
        fresh.add(want.name());
      } else if (!Objects.equals(have.base(), want.base())) {
        rehooked.add(want.name());
      }
    }
    Map<String, List<RuleSpec>> wantRules = byChain(desired.rules());
    Map<String, List<RuleSpec>> haveRules = byChain(observed.rules());
    Set<String> names = new LinkedHashSet<>(wanted);
    names.addAll(wantRules.keySet());
    names.addAll(seen.keySet());
    names.addAll(haveRules.keySet());
    for (String chain : names) {
      List<RuleSpec> want = wantRules.getOrDefault(chain, List.of());
      List<RuleSpec> have = haveRules.getOrDefault(chain, List.of());
      if (seen.containsKey(chain) && !wanted.contains(chain)) {
        flushChains.add(new NftChange.FlushChain(chain));
        deleteChains.add(new NftChange.DeleteChain(chain));
      } else if (fresh.contains(chain)) {
        want.forEach(r -> addRules.add(new NftChange.AddRule(r)));
      } else if (rehooked.contains(chain)) {
        flushChains.add(new NftChange.FlushChain(chain));
        replace.add(new NftChange.DeleteChain(chain));
        replace.add(new NftChange.AddChain(desired.chains().stream().filter(c -> c.name().equals(chain))
            .findFirst().orElseThrow()));
        want.forEach(r -> addRules.add(new NftChange.AddRule(r)));
      } else if (!want.equals(have) || looksUpAny(have, replacedSets)) {
        flushChains.add(new NftChange.FlushChain(chain));
        want.forEach(r -> addRules.add(new NftChange.AddRule(r)));
      }
    }
  }

  private static boolean looksUpAny(List<RuleSpec> rules, Set<String> sets) {
    return !sets.isEmpty() && rules.stream().flatMap(r -> r.exprs().stream())
        .anyMatch(e -> e instanceof Expr.Lookup l && sets.contains(l.set()));
  }

  private static Map<String, List<RuleSpec>> byChain(List<RuleSpec> rules) {
    Map<String, List<RuleSpec>> out = new LinkedHashMap<>();
    for (RuleSpec r : rules) {
      out.computeIfAbsent(r.chain(), c -> new ArrayList<>()).add(r);
    }
    return out;
  }

  private static boolean sameType(SetSpec a, SetSpec b) {
    return a.key().equals(b.key()) && Objects.equals(a.data(), b.data()) && a.flags() == b.flags();
  }

  private static SetSpec withoutElements(SetSpec s) {
    return s.elements().isEmpty() ? s : new SetSpec(s.name(), s.key(), s.data(), s.flags(), List.of());
  }
}
