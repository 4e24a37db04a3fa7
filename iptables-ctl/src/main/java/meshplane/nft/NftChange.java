package meshplane.nft;

import java.util.List;

/**
 * One change to meshplane's table, as {@link TableDiff} plans it and {@link NfTables#apply}
 * sends it: each becomes one nf_tables message of the batch (element lists too long for one
 * message become several). The table itself is named by the batch, not by the change.
 */
public sealed interface NftChange {

  /** What the change does, for errors: "add chain". */
  String op();

  /** What it does it to, for errors: "chain svc_1". */
  String object();

  /** NFT_MSG_NEWTABLE (no NLM_F_EXCL: an existing table is left as it is). */
  record AddTable() implements NftChange {
    public String op() {
      return "add";
    }

    public String object() {
      return "table";
    }
  }

  /** NFT_MSG_DELTABLE: the table and everything in it ({@link NfTables#deleteTable}). */
  record DeleteTable() implements NftChange {
    public String op() {
      return "delete";
    }

    public String object() {
      return "table";
    }
  }

  /** NFT_MSG_NEWCHAIN: a regular chain, or a base chain with its hook, type and policy accept. */
  record AddChain(ChainSpec chain) implements NftChange {
    public String op() {
      return "add";
    }

    public String object() {
      return "chain " + chain.name();
    }
  }

  /** NFT_MSG_DELCHAIN by name. */
  record DeleteChain(String chain) implements NftChange {
    public String op() {
      return "delete";
    }

    public String object() {
      return "chain " + chain;
    }
  }

  /** NFT_MSG_DELRULE naming the table and chain but no rule handle: every rule of the chain goes. */
  record FlushChain(String chain) implements NftChange {
    public String op() {
      return "flush";
    }

    public String object() {
      return "chain " + chain;
    }
  }

  /** NFT_MSG_NEWSET with NFTA_SET_ID; the set's elements, if any, are not part of this change. */
  record AddSet(SetSpec set) implements NftChange {
    public String op() {
      return "add";
    }

    public String object() {
      return (set.isMap() ? "map " : "set ") + set.name();
    }
  }

  /** NFT_MSG_DELSET by name (its elements go with it). */
  record DeleteSet(String set) implements NftChange {
    public String op() {
      return "delete";
    }

    public String object() {
      return "set " + set;
    }
  }

  /** NFT_MSG_NEWSETELEM: many elements of one set in one message. */
  record AddElements(String set, List<SetElement> elements) implements NftChange {
    public AddElements {
      elements = List.copyOf(elements);
    }

    public String op() {
      return "add";
    }

    public String object() {
      return elements.size() + " element(s) of set " + set;
    }
  }

  /** NFT_MSG_DELSETELEM: the elements are named by key; their values are not sent. */
  record DeleteElements(String set, List<SetElement> elements) implements NftChange {
    public DeleteElements {
      elements = List.copyOf(elements);
    }

    public String op() {
      return "delete";
    }

    public String object() {
      return elements.size() + " element(s) of set " + set;
    }
  }

  /** NFT_MSG_NEWRULE with NLM_F_APPEND: the rule goes to the end of its chain. */
  record AddRule(RuleSpec rule) implements NftChange {
    public String op() {
      return "add";
    }

    public String object() {
      return "rule \"" + rule.id() + "\" of chain " + rule.chain();
    }
  }
}
