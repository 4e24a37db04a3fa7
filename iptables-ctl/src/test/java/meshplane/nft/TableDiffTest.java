package meshplane.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import meshplane.nft.NftChange.AddChain;
import meshplane.nft.NftChange.AddElements;
import meshplane.nft.NftChange.AddRule;
import meshplane.nft.NftChange.AddSet;
import meshplane.nft.NftChange.AddTable;
import meshplane.nft.NftChange.DeleteChain;
import meshplane.nft.NftChange.DeleteElements;
import meshplane.nft.NftChange.DeleteSet;
import meshplane.nft.NftChange.FlushChain;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link TableDiff}: one test per rule of its semantics, on {@link SampleTable}. */
@Tag("unit")
class TableDiffTest {
  private static final TableSpec T = SampleTable.table();

  private static TableSpec with(List<ChainSpec> chains, List<SetSpec> sets, List<RuleSpec> rules) {
    return new TableSpec(NftFamily.IP, "mp", chains, sets, rules);
  }

  @Test
  void equalSpecsNeedNothing() {
    assertEquals(List.of(), TableDiff.diff(T, T));
  }

  @Test
  void aMissingTableIsBuiltInSafeOrder() {
    assertEquals(List.of(new AddTable(),
        new AddChain(SampleTable.svc1()), new AddChain(SampleTable.prerouting()), new AddChain(SampleTable.postrouting()),
        new AddSet(SampleTable.bare(SampleTable.svcMarks())), new AddSet(SampleTable.bare(SampleTable.backends())),
        new AddSet(SampleTable.bare(SampleTable.svcChains())),
        new AddElements("svc_marks", SampleTable.svcMarks().elements()),
        new AddElements("be_1", SampleTable.backends().elements()),
        new AddElements("svc_chains", SampleTable.svcChains().elements()),
        new AddRule(SampleTable.lb()), new AddRule(SampleTable.mark()), new AddRule(SampleTable.dispatch()),
        new AddRule(SampleTable.snat()), new AddRule(SampleTable.masq())), TableDiff.diff(T, null));
  }

  @Test
  void elementsByKeyAChangedValueIsDeleteThenAdd() {
    SetElement zero = SetElement.map(Datum.host32(0), Datum.ipv4("10.0.0.2"));
    SetElement one = SetElement.map(Datum.host32(1), Datum.ipv4("10.0.0.3"));
    SetElement oneNew = SetElement.map(Datum.host32(1), Datum.ipv4("10.0.0.9"));
    SetElement two = SetElement.map(Datum.host32(2), Datum.ipv4("10.0.0.4"));
    SetSpec have = new SetSpec("be_1", KeyType.INTEGER, KeyType.IPV4_ADDR, 0, List.of(zero, one));
    SetSpec want = new SetSpec("be_1", KeyType.INTEGER, KeyType.IPV4_ADDR, 0, List.of(oneNew, two));
    assertEquals(List.of(new DeleteElements("be_1", List.of(one, zero)), new AddElements("be_1", List.of(oneNew, two))),
        TableDiff.diff(with(List.of(), List.of(want), List.of()), with(List.of(), List.of(have), List.of())));
  }

  @Test
  void aChangedRuleListFlushesTheChainAndAppendsEveryRule() {
    TableSpec swapped = with(T.chains(), T.sets(), List.of(T.rules().get(0), T.rules().get(2), T.rules().get(1),
        T.rules().get(3), T.rules().get(4)));
    assertEquals(List.of(new FlushChain("prerouting"), new AddRule(SampleTable.dispatch()), new AddRule(SampleTable.mark())),
        TableDiff.diff(swapped, T));
  }

  @Test
  void aChangedHookDeletesAndAddsTheChainAfterItsFlush() {
    ChainSpec moved = ChainSpec.base("postrouting", Hook.OUTPUT, ChainType.NAT, 100);
    TableSpec want = with(List.of(SampleTable.svc1(), SampleTable.prerouting(), moved), T.sets(), T.rules());
    assertEquals(List.of(new FlushChain("postrouting"), new DeleteChain("postrouting"), new AddChain(moved),
        new AddRule(SampleTable.snat()), new AddRule(SampleTable.masq())), TableDiff.diff(want, T));
  }

  @Test
  void aChangedSetTypeReplacesTheSetAndReloadsTheChainsThatLookItUp() {
    SetSpec marks = SampleTable.svcMarks();
    SetSpec retyped = new SetSpec("svc_chains", KeyType.INTEGER, KeyType.VERDICT, 0, SampleTable.svcChains().elements());
    TableSpec want = with(T.chains(), List.of(marks, SampleTable.backends(), retyped), T.rules());
    assertEquals(List.of(new FlushChain("prerouting"), new DeleteSet("svc_chains"), new AddSet(SampleTable.bare(retyped)),
        new AddElements("svc_chains", retyped.elements()), new AddRule(SampleTable.mark()),
        new AddRule(SampleTable.dispatch())), TableDiff.diff(want, T));
  }

  @Test
  void removedChainsAndSetsGoLastAfterTheirElementsAndRules() {
    TableSpec have = with(List.of(SampleTable.svc1()), List.of(SampleTable.backends(), SampleTable.svcChains()),
        List.of(SampleTable.lb()));
    TableSpec want = with(List.of(), List.of(SampleTable.bare(SampleTable.svcChains())), List.of());
    assertEquals(List.of(new DeleteElements("svc_chains", SampleTable.svcChains().elements()), new FlushChain("svc_1"),
        new DeleteSet("be_1"), new DeleteChain("svc_1")), TableDiff.diff(want, have));
  }

  @Test
  void aPartialViewTouchesOnlyWhatItNames() {
    TableSpec view = with(List.of(SampleTable.svc1()), List.of(SampleTable.backends()), List.of(SampleTable.lb()));
    assertEquals(List.of(), TableDiff.diff(view, view));
    TableSpec grown = with(List.of(SampleTable.svc1(), ChainSpec.regular("svc_2")), List.of(SampleTable.backends()),
        List.of(SampleTable.lb()));
    assertEquals(List.of(new AddChain(ChainSpec.regular("svc_2"))), TableDiff.diff(grown, view));
  }
}
