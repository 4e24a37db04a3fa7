package meshplane.nft;

import java.util.List;

/**
 * A rule: its chain, an {@code id} unique in that chain (stored in the kernel as the rule's
 * comment, NFTA_RULE_USERDATA, so a rule read back is recognised) and its expressions. Two rules
 * with the same chain and id are the same rule; if their expressions differ the rule is replaced.
 * Within a chain, rules keep the order of the table's rule list.
 */
public record RuleSpec(String chain, String id, List<Expr> exprs) {
  public RuleSpec {
    exprs = List.copyOf(exprs);
  }
}
