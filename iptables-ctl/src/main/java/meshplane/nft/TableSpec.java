package meshplane.nft;

import java.util.List;

/**
 * Everything in one nf_tables table: the unit meshplane owns in a namespace (it never touches
 * any other table). A desired table is planned by the routing mesh; an observed one is read back
 * from the kernel; {@code TableDiff} turns the pair into the changes of one atomic batch.
 */
public record TableSpec(NftFamily family, String name, List<ChainSpec> chains, List<SetSpec> sets,
    List<RuleSpec> rules) {
  public TableSpec {
    chains = List.copyOf(chains);
    sets = List.copyOf(sets);
    rules = List.copyOf(rules);
  }
}
