package meshplane.nft;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.FreshNamespaces;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The routing mesh's load at scale: N services of 10 backends each (a regular chain with one
 * numgen/lookup/dnat rule and a backend map per service, one verdict map and one mark map of N
 * elements), applied in one batch. Prints the times (no timed assertions): the full apply, a
 * read back, and a small change (one element added, one chain flushed and its rule re-added)
 * with a small and with a large table present, which should not grow with the table.
 */
@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class NftScaleKernelTest {
  static final int BACKENDS = 10;

  static TableSpec services(int n) {
    List<ChainSpec> chains = new ArrayList<>();
    List<SetSpec> sets = new ArrayList<>();
    List<RuleSpec> rules = new ArrayList<>();
    List<SetElement> marks = new ArrayList<>();
    List<SetElement> dispatch = new ArrayList<>();
    chains.add(SampleTable.prerouting());
    sets.add(new SetSpec("svc_marks", KeyType.concat(List.of(KeyType.IPV4_ADDR, KeyType.INET_PROTO, KeyType.INET_SERVICE)),
        KeyType.MARK, 0, marks));
    sets.add(new SetSpec("svc_chains", KeyType.MARK, KeyType.VERDICT, 0, dispatch));
    for (int i = 1; i <= n; i++) {
      String chain = "svc_" + i;
      chains.add(ChainSpec.regular(chain));
      List<SetElement> be = new ArrayList<>();
      for (int b = 0; b < BACKENDS; b++) {
        be.add(SetElement.map(Datum.host32(b), Datum.be32(0x0a000000 | (i << 8) | (b + 2))));
      }
      sets.add(new SetSpec("be_" + i, KeyType.INTEGER, KeyType.IPV4_ADDR, 0, be));
      rules.add(lb(chain, "be_" + i));
      marks.add(SetElement.map(Datum.concat(Datum.be32(0x0a640000 | i), Datum.u8(6), Datum.be16(80)), Datum.host32(i)));
      dispatch.add(SetElement.vmap(Datum.host32(i), Verdict.jump(chain)));
    }
    sets.set(0, new SetSpec("svc_marks", sets.get(0).key(), KeyType.MARK, 0, marks));
    sets.set(1, new SetSpec("svc_chains", KeyType.MARK, KeyType.VERDICT, 0, dispatch));
    rules.add(0, new RuleSpec("prerouting", "mark", List.of(
        new Expr.Payload(PayloadBase.NETWORK, 16, 4, Register.REG_1),
        new Expr.Meta(MetaKey.L4PROTO, Register.reg32(1)),
        new Expr.Payload(PayloadBase.TRANSPORT, 2, 2, Register.reg32(2)),
        new Expr.Lookup("svc_marks", Register.REG_1, Register.REG_1, false),
        new Expr.MetaSet(MetaKey.MARK, Register.REG_1))));
    rules.add(1, new RuleSpec("prerouting", "dispatch", List.of(
        new Expr.Meta(MetaKey.MARK, Register.REG_1),
        new Expr.Lookup("svc_chains", Register.REG_1, Register.VERDICT, false))));
    return new TableSpec(NftFamily.IP, "mesh", chains, sets, rules);
  }

  static RuleSpec lb(String chain, String map) {
    return new RuleSpec(chain, "lb", List.of(
        new Expr.Meta(MetaKey.L4PROTO, Register.REG_1),
        new Expr.Cmp(CmpOp.EQ, Register.REG_1, Datum.u8(6)),
        new Expr.Numgen(Register.REG_1, BACKENDS, NumgenType.INCREMENTAL, 0),
        new Expr.Lookup(map, Register.REG_1, Register.REG_1, false),
        new Expr.Immediate(Register.REG_2, Datum.be16(8080)),
        new Expr.Nat(NatType.DNAT, Register.REG_1, Register.REG_2, 0)));
  }

  static List<NftChange> smallChange(int service) {
    return List.of(
        new NftChange.AddElements("be_" + service, List.of(SetElement.map(Datum.host32(BACKENDS + 5), Datum.ipv4("10.9.9.9")))),
        new NftChange.FlushChain("svc_" + service),
        new NftChange.AddRule(lb("svc_" + service, "be_" + service)));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static void measure(NfTables nft, int n) {
    TableSpec t = services(n);
    long t0 = System.nanoTime();
    List<NftChange> changes = TableDiff.diff(t, null);
    long t1 = System.nanoTime();
    nft.apply(NftFamily.IP, "mesh", changes);
    long t2 = System.nanoTime();
    TableSpec read = nft.read(NftFamily.IP, "mesh").orElseThrow();
    long t3 = System.nanoTime();
    boolean equal = sorted(t).equals(read);
    long best = Long.MAX_VALUE;
    for (int k = 0; k < 5; k++) {
      long s = System.nanoTime();
      nft.apply(NftFamily.IP, "mesh", smallChange(n / 2 + k));
      best = Math.min(best, System.nanoTime() - s);
    }
    System.out.printf("nft scale: %d services x %d backends: %d changes, diff %.1f ms, apply (one batch) %.1f ms, "
        + "read back %.1f ms, small change (1 element + flush/re-add 1 chain) best of 5 %.2f ms%n",
        n, BACKENDS, changes.size(), ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(best));
    assertTrue(equal, "the table read back differs from the one applied");
  }

  /** The spec with each set's elements in the order a read returns them (by key, unsigned). */
  static TableSpec sorted(TableSpec t) {
    return new TableSpec(t.family(), t.name(), t.chains(), t.sets().stream().map(s -> new SetSpec(s.name(), s.key(),
        s.data(), s.flags(), s.elements().stream()
            .sorted((a, b) -> java.util.Arrays.compareUnsigned(a.key().bytes(), b.key().bytes())).toList())).toList(),
        t.rules());
  }

  @Test
  void tenThousandServicesInOneBatch(FreshNamespaces.Namespaces spaces) {
    NetNamespace small = spaces.create(NetNamespace.class);
    NetNamespace large = spaces.create(NetNamespace.class);
    try (NfTables a = NfTables.open(small); NfTables b = NfTables.open(large)) {
      measure(a, 100);
      measure(b, 10_000);
    }
  }
}
