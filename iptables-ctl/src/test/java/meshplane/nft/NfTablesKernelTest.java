package meshplane.nft;

import static meshplane.testkit.NftJson.kinds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import meshplane.netlink.KernelException;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.FreshNamespaces;
import meshplane.testkit.NftJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link NfTables} against the kernel, each test in a fresh namespace; {@code nft -j list
 * ruleset} is the independent witness.
 */
@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class NfTablesKernelTest {
  static String nft(NetNamespace ns, String... args) {
    return NftJson.nft(ns.name(), args);
  }

  /** The {@code nftables} array of {@code nft -j list ruleset}. */
  static JsonNode ruleset(NetNamespace ns) {
    return NftJson.ruleset(ns.name());
  }

  @Test
  void reconcileProgramsTheTableAndReadsItBackEqual(NetNamespace ns) throws Exception {
    try (NfTables nft = NfTables.open(ns)) {
      assertEquals(Optional.empty(), nft.read(NftFamily.IP, SampleTable.NAME));
      List<NftChange> first = nft.reconcile(SampleTable.table());
      assertTrue(first.size() > 5, first.toString());
      assertEquals(SampleTable.table(), nft.read(NftFamily.IP, SampleTable.NAME).orElseThrow());
      assertEquals(List.of(), nft.reconcile(SampleTable.table()), "second reconcile");

      JsonNode rs = ruleset(ns);
      assertEquals(List.of("mp/svc_1", "mp/prerouting", "mp/postrouting"), kinds(rs, "chain"));
      assertEquals(List.of("mp/svc_marks", "mp/be_1", "mp/svc_chains"), kinds(rs, "map"));
      List<String> comments = new ArrayList<>();
      rs.forEach(n -> {
        if (n.has("rule")) {
          comments.add(n.get("rule").get("chain").asText() + ":" + n.get("rule").get("comment").asText());
        }
      });
      assertEquals(List.of("svc_1:lb", "prerouting:mark", "prerouting:dispatch", "postrouting:snat", "postrouting:masq"),
          comments);
      String text = nft(ns, "list", "table", "ip", "mp");
      assertTrue(text.contains("meta mark set meta l4proto . th dport map @svc_marks"), text);
      assertTrue(text.contains("dnat to numgen inc mod 2 map @be_1:8080"), text);
      assertTrue(text.contains("0x00000101 : jump svc_1"), text);
      assertTrue(text.contains("type nat hook prerouting priority dstnat; policy accept;"), text);
    }
  }

  @Test
  void aChangeOfElementsRulesAndHooksConverges(NetNamespace ns) {
    try (NfTables nft = NfTables.open(ns)) {
      nft.reconcile(SampleTable.table());
      TableSpec t = SampleTable.table();
      SetSpec be = new SetSpec("be_1", KeyType.INTEGER, KeyType.IPV4_ADDR, 0, List.of(
          SetElement.map(Datum.host32(0), Datum.ipv4("10.0.0.9")),
          SetElement.map(Datum.host32(2), Datum.ipv4("10.0.0.4"))));
      TableSpec changed = new TableSpec(t.family(), t.name(),
          List.of(t.chains().get(0), ChainSpec.base("prerouting", Hook.OUTPUT, ChainType.NAT, -100)),
          List.of(t.sets().get(0), be, t.sets().get(2)),
          List.of(t.rules().get(0), t.rules().get(2), t.rules().get(1)));
      List<NftChange> applied = nft.reconcile(changed);
      assertTrue(applied.contains(new NftChange.DeleteChain("postrouting")), applied.toString());
      assertEquals(changed, nft.read(NftFamily.IP, "mp").orElseThrow());
      assertEquals(List.of(), nft.reconcile(changed));
    }
  }

  @Test
  void aRefusedBatchChangesNothingAndNamesTheObject(NetNamespace ns) throws Exception {
    try (NfTables nft = NfTables.open(ns)) {
      nft.reconcile(SampleTable.table());
      String before = nft(ns, "list", "ruleset");
      List<NftChange> batch = List.of(
          new NftChange.AddChain(ChainSpec.regular("svc_2")),
          new NftChange.AddElements("be_1", List.of(SetElement.map(Datum.host32(7), Datum.ipv4("10.0.0.7")))),
          new NftChange.AddRule(new RuleSpec("svc_2", "broken", List.of(
              new Expr.Lookup("no_such_map", Register.REG_1, Register.REG_1, false)))),
          new NftChange.AddChain(ChainSpec.regular("svc_3")));
      KernelException e = assertThrows(KernelException.class, () -> nft.apply(NftFamily.IP, "mp", batch));
      assertTrue(e.getMessage().contains("rule \"broken\" of chain svc_2"), e.getMessage());
      assertEquals("ENOENT", e.errnoName(), e.getMessage());
      assertEquals("add", e.operation());
      assertEquals(before, nft(ns, "list", "ruleset"), "the batch must leave the ruleset unchanged");
      System.out.println("refused batch: " + e.getMessage());
    }
  }

  @Test
  void aForeignTableSurvivesAndDeleteIsIdempotent(NetNamespace ns) throws Exception {
    nft(ns, "add", "table", "ip", "foreign");
    nft(ns, "add", "chain", "ip", "foreign", "c", "{ type filter hook input priority 0; policy accept; }");
    nft(ns, "add", "rule", "ip", "foreign", "c", "counter");
    String foreign = nft(ns, "list", "table", "ip", "foreign");
    try (NfTables nft = NfTables.open(ns)) {
      nft.reconcile(SampleTable.table());
      assertEquals(Optional.empty(), nft.read(NftFamily.INET, "foreign"));
      nft.reconcile(new TableSpec(NftFamily.IP, "mp", List.of(), List.of(), List.of()));
      assertEquals(new TableSpec(NftFamily.IP, "mp", List.of(), List.of(), List.of()),
          nft.read(NftFamily.IP, "mp").orElseThrow());
      nft.deleteTable(NftFamily.IP, "mp");
      nft.deleteTable(NftFamily.IP, "mp");
      assertEquals(Optional.empty(), nft.read(NftFamily.IP, "mp"));
    }
    assertEquals(foreign, nft(ns, "list", "table", "ip", "foreign"));
    assertEquals(List.of("foreign/c"), kinds(ruleset(ns), "chain"));
  }
}
