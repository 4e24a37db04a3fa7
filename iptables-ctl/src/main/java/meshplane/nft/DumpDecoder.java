package meshplane.nft;

import java.util.ArrayList;
import java.util.List;
import meshplane.netlink.Attribute;
import meshplane.netlink.Attributes;
import meshplane.netlink.Message;
import meshplane.netlink.nfnl.Nfnetlink;

/**
 * Reads the kernel's NEWCHAIN / NEWSET / NEWSETELEM / NEWRULE dump messages back into the value
 * model. What the kernel adds (handles, use counts, NFT_SET_MAP, a verdict map's data length 16,
 * counter values) is dropped or normalised so a read equals what was written.
 */
final class DumpDecoder {
  private DumpDecoder() {}

  private static Attributes attrs(Message m) {
    return m.attributes(Nfnetlink.NFGENMSG_LEN);
  }

  static ChainSpec chain(Message m) {
    Attributes a = attrs(m);
    String name = a.string(Uapi.Chain.NAME).orElseThrow();
    if (!a.has(Uapi.Chain.HOOK)) {
      return ChainSpec.regular(name);
    }
    Attributes hook = a.nested(Uapi.Chain.HOOK).orElseThrow();
    return ChainSpec.base(name, Hook.of(hook.get(Uapi.Chain.HOOK_HOOKNUM).orElseThrow().be32()),
        ChainType.of(a.string(Uapi.Chain.TYPE).orElseThrow()), hook.get(Uapi.Chain.HOOK_PRIORITY).orElseThrow().be32());
  }

  /** A set without its elements (they are dumped apart, set by set). */
  static SetSpec set(Message m) {
    Attributes a = attrs(m);
    int flags = a.get(Uapi.Set.FLAGS).map(Attribute::be32).orElse(0); // the kernel leaves out flags 0
    KeyType key = new KeyType(be(a, Uapi.Set.KEY_TYPE), be(a, Uapi.Set.KEY_LEN));
    KeyType data = null;
    if ((flags & SetSpec.NFT_SET_MAP) != 0) {
      data = new KeyType(be(a, Uapi.Set.DATA_TYPE), be(a, Uapi.Set.DATA_LEN));
    }
    return new SetSpec(a.string(Uapi.Set.NAME).orElseThrow(), key, data, flags & ~SetSpec.NFT_SET_MAP, List.of());
  }

  /** The elements of one NEWSETELEM dump message. */
  static List<SetElement> elements(Message m) {
    List<SetElement> out = new ArrayList<>();
    Attributes list = attrs(m).nested(Uapi.Elem.LIST_ELEMENTS).orElse(null);
    if (list == null) {
      return out;
    }
    for (Attribute elem : list.all()) { // the kernel numbers them 1 (NFTA_LIST_ELEM); nft 1, 2, ...
      Attributes e = elem.nestedAttributes();
      Datum key = NftData.readValue(e.get(Uapi.Elem.KEY).orElseThrow());
      Attribute data = e.get(Uapi.Elem.DATA).orElse(null);
      if (data == null) {
        out.add(SetElement.key(key));
      } else if (NftData.isVerdict(data)) {
        out.add(SetElement.vmap(key, NftData.readVerdict(data)));
      } else {
        out.add(SetElement.map(key, NftData.readValue(data)));
      }
    }
    return out;
  }

  static RuleSpec rule(Message m) {
    Attributes a = attrs(m);
    String chain = a.string(Uapi.Rule.CHAIN).orElseThrow();
    String id = a.get(Uapi.Rule.USERDATA).map(u -> RuleComment.decode(u.bytes())).orElse(null);
    List<Expr> exprs = new ArrayList<>();
    Attributes list = a.nested(Uapi.Rule.EXPRESSIONS).orElse(null);
    if (list != null) {
      for (Attribute e : list.getAll(Uapi.Rule.LIST_ELEM)) {
        try {
          exprs.add(ExprDecoder.read(e));
        } catch (RuntimeException ex) {
          throw new IllegalStateException("rule \"" + id + "\" of chain " + chain + ": " + ex.getMessage(), ex);
        }
      }
    }
    return new RuleSpec(chain, id, exprs);
  }

  private static int be(Attributes a, int type) {
    return a.get(type).orElseThrow(() -> new IllegalStateException("set attribute " + type + " missing")).be32();
  }
}
