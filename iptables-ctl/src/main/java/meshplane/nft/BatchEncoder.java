package meshplane.nft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.Nlmsg;
import meshplane.netlink.nfnl.Nfnetlink;

/**
 * Turns a list of {@link NftChange}s into one nfnetlink batch:
 *
 * <pre>
 * NFNL_MSG_BATCH_BEGIN  nfgenmsg{AF_UNSPEC, v0, res_id = NFNL_SUBSYS_NFTABLES (be16)}
 * NFT_MSG_NEW... / DEL... nfgenmsg{family, v0, 0} + attributes   (one or more per change)
 * NFNL_MSG_BATCH_END    nfgenmsg{AF_UNSPEC, v0, res_id = NFNL_SUBSYS_NFTABLES}
 * </pre>
 *
 * Only the last message asks for an ACK: the kernel reports an error for any message that fails
 * whether asked or not, so one ACK tells that the whole batch was handled without reading one
 * answer per message. Sets created in the batch get an NFTA_SET_ID (1, 2, ...) that their
 * elements and lookups carry as well as the name, as nft does.
 */
final class BatchEncoder {
  /** An element list's nested attribute length is a u16: a message holds at most this much of it. */
  static final int MAX_ELEMENTS_BYTES = 60_000;
  /** NFNL_BATCH_GENID, the optional attribute of BATCH_BEGIN. */
  static final int NFNL_BATCH_GENID = 1;

  /** The messages and, for each, the index of the change it carries (-1 for BEGIN and END). */
  record Batch(List<MessageBuilder> messages, int[] changeOf) {}

  private final NftFamily family;
  private final String table;
  private final Map<String, Integer> setIds = new HashMap<>();
  private int lastSetId;
  private final Map<String, Boolean> verdictMaps = new HashMap<>();
  private final Predicate<String> existingIsVerdictMap;
  private final SetRefs refs = new SetRefs() {
    public boolean isVerdictMap(String set) {
      return verdictMaps.computeIfAbsent(set, existingIsVerdictMap::test);
    }

    public int batchId(String set) {
      return setIds.getOrDefault(set, 0);
    }
  };

  /** {@code existingIsVerdictMap} answers for sets the batch does not create (asked once per set). */
  BatchEncoder(NftFamily family, String table, Predicate<String> existingIsVerdictMap) {
    this.family = family;
    this.table = table;
    this.existingIsVerdictMap = existingIsVerdictMap;
  }

  /**
   * The batch of {@code changes}. A {@code generation} other than -1 goes in BATCH_BEGIN as
   * NFNL_BATCH_GENID: the kernel then refuses the batch (ERESTART) if the ruleset changed since
   * that generation was read.
   */
  Batch encode(List<NftChange> changes, long generation) {
    List<MessageBuilder> out = new ArrayList<>();
    List<Integer> owner = new ArrayList<>();
    MessageBuilder begin = framing(Nfnetlink.NFNL_MSG_BATCH_BEGIN);
    if (generation >= 0) {
      begin.attrBe32(NFNL_BATCH_GENID, (int) generation);
    }
    out.add(begin);
    owner.add(-1);
    for (int i = 0; i < changes.size(); i++) {
      for (MessageBuilder m : messages(changes.get(i))) {
        out.add(m);
        owner.add(i);
      }
    }
    out.get(out.size() - 1).addFlags(Nlmsg.NLM_F_ACK);
    out.add(framing(Nfnetlink.NFNL_MSG_BATCH_END));
    owner.add(-1);
    return new Batch(out, owner.stream().mapToInt(Integer::intValue).toArray());
  }

  private static MessageBuilder framing(int type) {
    return Nfnetlink.request(Nfnetlink.NFNL_SUBSYS_NONE, type, Nlmsg.NLM_F_REQUEST, Nfnetlink.NFPROTO_UNSPEC,
        Nfnetlink.NFNL_SUBSYS_NFTABLES);
  }

  /** The message(s) of one change. */
  List<MessageBuilder> messages(NftChange change) {
    if (change instanceof NftChange.AddTable) {
      return List.of(msg(Uapi.Msg.NEWTABLE, 0).attrString(Uapi.Table.NAME, table).attrBe32(Uapi.Table.FLAGS, 0));
    } else if (change instanceof NftChange.DeleteTable) {
      return List.of(msg(Uapi.Msg.DELTABLE, 0).attrString(Uapi.Table.NAME, table));
    } else if (change instanceof NftChange.AddChain c) {
      return List.of(addChain(c.chain()));
    } else if (change instanceof NftChange.DeleteChain c) {
      return List.of(msg(Uapi.Msg.DELCHAIN, 0).attrString(Uapi.Chain.TABLE, table)
          .attrString(Uapi.Chain.NAME, c.chain()));
    } else if (change instanceof NftChange.FlushChain c) {
      return List.of(msg(Uapi.Msg.DELRULE, 0).attrString(Uapi.Rule.TABLE, table)
          .attrString(Uapi.Rule.CHAIN, c.chain()));
    } else if (change instanceof NftChange.AddSet s) {
      return List.of(addSet(s.set()));
    } else if (change instanceof NftChange.DeleteSet s) {
      setIds.remove(s.set());
      verdictMaps.remove(s.set());
      return List.of(msg(Uapi.Msg.DELSET, 0).attrString(Uapi.Set.TABLE, table).attrString(Uapi.Set.NAME, s.set()));
    } else if (change instanceof NftChange.AddElements e) {
      return elements(Uapi.Msg.NEWSETELEM, Nlmsg.NLM_F_CREATE, e.set(), e.elements(), true);
    } else if (change instanceof NftChange.DeleteElements e) {
      return elements(Uapi.Msg.DELSETELEM, 0, e.set(), e.elements(), false);
    } else if (change instanceof NftChange.AddRule r) {
      return List.of(addRule(r.rule()));
    }
    throw new IllegalArgumentException("unknown change " + change);
  }

  private MessageBuilder msg(int type, int flags) {
    return Nfnetlink.request(Nfnetlink.NFNL_SUBSYS_NFTABLES, type, Nlmsg.NLM_F_REQUEST | flags, family.code(), 0);
  }

  /** NFTA_CHAIN_TABLE, NAME and, for a base chain, TYPE, POLICY (accept), HOOK{HOOKNUM, PRIORITY}. */
  private MessageBuilder addChain(ChainSpec chain) {
    MessageBuilder m = msg(Uapi.Msg.NEWCHAIN, Nlmsg.NLM_F_CREATE)
        .attrString(Uapi.Chain.TABLE, table).attrString(Uapi.Chain.NAME, chain.name());
    BaseHook base = chain.base();
    if (base != null) {
      m.attrString(Uapi.Chain.TYPE, base.type().kernelName());
      m.attrBe32(Uapi.Chain.POLICY, Uapi.NF_ACCEPT);
      int hook = m.beginNested(Uapi.Chain.HOOK);
      m.attrBe32(Uapi.Chain.HOOK_HOOKNUM, base.hook().code());
      m.attrBe32(Uapi.Chain.HOOK_PRIORITY, base.priority());
      m.endNested(hook);
    }
    return m;
  }

  /**
   * NFTA_SET_TABLE, NAME, FLAGS (NFT_SET_MAP added for a map), KEY_TYPE, KEY_LEN, then for a map
   * DATA_TYPE and DATA_LEN (0 for a verdict map, as nft sends it; the kernel reports 16), ID and USERDATA
   * (nft's byte-order hints, {@link SetUserdata}).
   */
  private MessageBuilder addSet(SetSpec set) {
    int id = ++lastSetId;
    setIds.put(set.name(), id);
    verdictMaps.put(set.name(), KeyType.VERDICT.equals(set.data()));
    MessageBuilder m = msg(Uapi.Msg.NEWSET, Nlmsg.NLM_F_CREATE)
        .attrString(Uapi.Set.TABLE, table).attrString(Uapi.Set.NAME, set.name())
        .attrBe32(Uapi.Set.FLAGS, set.flags() | (set.isMap() ? SetSpec.NFT_SET_MAP : 0))
        .attrBe32(Uapi.Set.KEY_TYPE, set.key().id()).attrBe32(Uapi.Set.KEY_LEN, set.key().length());
    if (set.isMap()) {
      boolean verdict = KeyType.VERDICT.equals(set.data());
      m.attrBe32(Uapi.Set.DATA_TYPE, set.data().id()).attrBe32(Uapi.Set.DATA_LEN, verdict ? 0 : set.data().length());
    }
    return m.attrBe32(Uapi.Set.ID, id).attr(Uapi.Set.USERDATA, SetUserdata.of(set));
  }

  /**
   * NFTA_SET_ELEM_LIST_TABLE, SET, SET_ID (a set of this batch), ELEMENTS{LIST_ELEM{KEY{VALUE},
   * DATA{VALUE | VERDICT}}...}; a list too long for one nested attribute continues in another
   * message. A delete names elements by key only.
   */
  private List<MessageBuilder> elements(int type, int flags, String set, List<SetElement> elements, boolean withData) {
    List<MessageBuilder> out = new ArrayList<>();
    int i = 0;
    while (i < elements.size()) {
      MessageBuilder m = msg(type, flags).attrString(Uapi.Elem.LIST_TABLE, table).attrString(Uapi.Elem.LIST_SET, set);
      int id = refs.batchId(set);
      if (id != 0) {
        m.attrBe32(Uapi.Elem.LIST_SET_ID, id);
      }
      int list = m.beginNested(Uapi.Elem.LIST_ELEMENTS);
      int n = 0;
      while (i < elements.size() && m.length() - list < MAX_ELEMENTS_BYTES) {
        SetElement e = elements.get(i++);
        int elem = m.beginNested(++n); // numbered 1, 2, ... as nft does; the kernel reads any type
        NftData.writeValue(m, Uapi.Elem.KEY, e.key());
        if (withData && e.verdict() != null) {
          NftData.writeVerdict(m, Uapi.Elem.DATA, e.verdict());
        } else if (withData && e.data() != null) {
          NftData.writeValue(m, Uapi.Elem.DATA, e.data());
        }
        m.endNested(elem);
      }
      m.endNested(list);
      out.add(m);
    }
    return out;
  }

  /** NFTA_RULE_TABLE, CHAIN, EXPRESSIONS{...}, USERDATA (the id as comment); appended (NLM_F_APPEND). */
  private MessageBuilder addRule(RuleSpec rule) {
    MessageBuilder m = msg(Uapi.Msg.NEWRULE, Nlmsg.NLM_F_CREATE | Nlmsg.NLM_F_APPEND)
        .attrString(Uapi.Rule.TABLE, table).attrString(Uapi.Rule.CHAIN, rule.chain());
    int exprs = m.beginNested(Uapi.Rule.EXPRESSIONS);
    for (Expr e : rule.exprs()) {
      ExprEncoder.write(m, e, refs);
    }
    m.endNested(exprs);
    if (rule.id() != null) {
      m.attr(Uapi.Rule.USERDATA, RuleComment.encode(rule.id()));
    }
    return m;
  }
}
