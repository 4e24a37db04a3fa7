package meshplane.nft;

import java.util.List;

/**
 * The table of {@code golden.nft} (test resources) as a value: every expression kind meshplane
 * uses, a concatenated-key map, a numgen map, a verdict map with a jump. The golden test checks
 * that its encoding is the bytes nft sent for that file; the kernel test reads it back.
 */
final class SampleTable {
  static final String NAME = "mp";

  private SampleTable() {}

  static RuleSpec lb() {
    return new RuleSpec("svc_1", "lb", List.of(
        new Expr.Meta(MetaKey.L4PROTO, Register.REG_1),
        new Expr.Cmp(CmpOp.EQ, Register.REG_1, Datum.u8(6)),
        new Expr.Numgen(Register.REG_1, 2, NumgenType.INCREMENTAL, 0),
        new Expr.Lookup("be_1", Register.REG_1, Register.REG_1, false),
        new Expr.Immediate(Register.REG_2, Datum.be16(8080)),
        new Expr.Nat(NatType.DNAT, Register.REG_1, Register.REG_2, 0)));
  }

  static RuleSpec mark() {
    return new RuleSpec("prerouting", "mark", List.of(
        new Expr.Payload(PayloadBase.NETWORK, 16, 4, Register.REG_1),
        new Expr.Cmp(CmpOp.EQ, Register.REG_1, Datum.ipv4("10.1.0.1")),
        new Expr.Meta(MetaKey.L4PROTO, Register.REG_1),
        new Expr.Payload(PayloadBase.TRANSPORT, 2, 2, Register.reg32(1)),
        new Expr.Lookup("svc_marks", Register.REG_1, Register.REG_1, false),
        new Expr.MetaSet(MetaKey.MARK, Register.REG_1)));
  }

  static RuleSpec dispatch() {
    return new RuleSpec("prerouting", "dispatch", List.of(
        new Expr.Meta(MetaKey.MARK, Register.REG_1),
        new Expr.Lookup("svc_chains", Register.REG_1, Register.VERDICT, false),
        new Expr.Counter()));
  }

  static RuleSpec snat() {
    return new RuleSpec("postrouting", "snat", List.of(
        new Expr.Ct(CtKey.MARK, Register.REG_1),
        new Expr.Cmp(CmpOp.EQ, Register.REG_1, Datum.host32(1)),
        new Expr.Immediate(Register.REG_1, Datum.ipv4("10.0.0.1")),
        new Expr.Nat(NatType.SNAT, Register.REG_1, 0, 0)));
  }

  static RuleSpec masq() {
    return new RuleSpec("postrouting", "masq", List.of(new Expr.Masq(0)));
  }

  static ChainSpec svc1() {
    return ChainSpec.regular("svc_1");
  }

  static ChainSpec prerouting() {
    return ChainSpec.base("prerouting", Hook.PREROUTING, ChainType.NAT, BaseHook.PRIORITY_DSTNAT);
  }

  static ChainSpec postrouting() {
    return ChainSpec.base("postrouting", Hook.POSTROUTING, ChainType.NAT, BaseHook.PRIORITY_SRCNAT);
  }

  static SetSpec svcMarks() {
    return new SetSpec("svc_marks", KeyType.concat(List.of(KeyType.INET_PROTO, KeyType.INET_SERVICE)), KeyType.MARK, 0,
        List.of(SetElement.map(Datum.concat(Datum.u8(6), Datum.be16(80)), Datum.host32(0x101))));
  }

  static SetSpec backends() {
    return new SetSpec("be_1", KeyType.INTEGER, KeyType.IPV4_ADDR, 0, List.of(
        SetElement.map(Datum.host32(0), Datum.ipv4("10.0.0.2")),
        SetElement.map(Datum.host32(1), Datum.ipv4("10.0.0.3"))));
  }

  static SetSpec svcChains() {
    return new SetSpec("svc_chains", KeyType.MARK, KeyType.VERDICT, 0,
        List.of(SetElement.vmap(Datum.host32(0x101), Verdict.jump("svc_1"))));
  }

  static TableSpec table() {
    return new TableSpec(NftFamily.IP, NAME, List.of(svc1(), prerouting(), postrouting()),
        List.of(svcMarks(), backends(), svcChains()), List.of(lb(), mark(), dispatch(), snat(), masq()));
  }

  /** The changes in the order nft 1.0.6 sent them for golden.nft. */
  static List<NftChange> nftOrder() {
    return List.of(new NftChange.AddTable(),
        new NftChange.AddChain(svc1()), new NftChange.AddChain(prerouting()), new NftChange.AddChain(postrouting()),
        new NftChange.AddSet(bare(svcMarks())), new NftChange.AddElements("svc_marks", svcMarks().elements()),
        new NftChange.AddSet(bare(backends())), new NftChange.AddElements("be_1", backends().elements()),
        new NftChange.AddSet(bare(svcChains())), new NftChange.AddElements("svc_chains", svcChains().elements()),
        new NftChange.AddRule(lb()), new NftChange.AddRule(mark()), new NftChange.AddRule(dispatch()),
        new NftChange.AddRule(snat()), new NftChange.AddRule(masq()));
  }

  static SetSpec bare(SetSpec s) {
    return new SetSpec(s.name(), s.key(), s.data(), s.flags(), List.of());
  }
}
