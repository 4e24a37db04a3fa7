package meshplane.mesh.lb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.nft.ChainSpec;
import meshplane.nft.RuleSpec;
import meshplane.nft.SetElement;
import meshplane.nft.SetSpec;
import meshplane.nft.TableSpec;

/**
 * Joins partial views of one table (a skeleton and one view per service) into the whole table:
 * chains by name, sets by name with their elements concatenated, rules in order. Views must
 * agree on a set's type; a chain or set named twice with different definitions is a planning bug.
 */
public final class TableUnion {
  private TableUnion() {}

  public static TableSpec of(TableSpec first, List<TableSpec> rest) {
    Map<String, ChainSpec> chains = new LinkedHashMap<>();
    Map<String, SetSpec> sets = new LinkedHashMap<>();
    Map<String, List<SetElement>> elements = new LinkedHashMap<>();
    List<RuleSpec> rules = new ArrayList<>();
    List<TableSpec> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    for (TableSpec t : all) {
      if (t.family() != first.family() || !t.name().equals(first.name())) {
        throw new IllegalArgumentException("views of different tables: " + first.name() + " and " + t.name());
      }
      for (ChainSpec c : t.chains()) {
        ChainSpec known = chains.putIfAbsent(c.name(), c);
        if (known != null && !known.equals(c)) {
          throw new IllegalStateException("chain " + c.name() + " defined twice differently");
        }
      }
      for (SetSpec s : t.sets()) {
        SetSpec known = sets.putIfAbsent(s.name(), s);
        if (known != null && (!known.key().equals(s.key()) || !java.util.Objects.equals(known.data(), s.data())
            || known.flags() != s.flags())) {
          throw new IllegalStateException("set " + s.name() + " defined twice differently");
        }
        elements.computeIfAbsent(s.name(), k -> new ArrayList<>()).addAll(s.elements());
      }
      rules.addAll(t.rules());
    }
    List<SetSpec> merged = new ArrayList<>();
    for (SetSpec s : sets.values()) {
      merged.add(new SetSpec(s.name(), s.key(), s.data(), s.flags(), elements.get(s.name())));
    }
    return new TableSpec(first.family(), first.name(), List.copyOf(chains.values()), merged, rules);
  }
}
