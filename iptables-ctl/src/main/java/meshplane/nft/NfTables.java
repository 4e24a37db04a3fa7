package meshplane.nft;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import meshplane.netlink.Errno;
import meshplane.netlink.KernelException;
import meshplane.netlink.Message;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.NetlinkError;
import meshplane.netlink.NetlinkException;
import meshplane.netlink.NetlinkProtocol;
import meshplane.netlink.NetlinkSocket;
import meshplane.netlink.nfnl.Nfnetlink;

/**
 * nf_tables in one network namespace, over a NETLINK_NETFILTER socket of its own made in that
 * namespace. It reads one table into a {@link TableSpec}, applies a list of {@link NftChange}s
 * as one atomic batch, and reconciles a table with a desired spec. Every message it sends names
 * the table it was given: no other table is read or changed.
 *
 * <p>Equivalent to: {@code nft -j list table ip NAME}, {@code nft -f batch}, {@code nft delete table ip NAME}.
 */
public final class NfTables implements AutoCloseable {
  private static final int ERESTART = 85;
  private static final int RECONCILE_ATTEMPTS = 3;

  private final NetlinkSocket socket;
  private final String namespace;

  private NfTables(NetlinkSocket socket, String namespace) {
    this.socket = socket;
    this.namespace = namespace;
  }

  /** Opens nf_tables access inside {@code ns}. */
  public static NfTables open(NetNamespace ns) {
    return new NfTables(NetlinkSocket.open(NetlinkProtocol.NETFILTER, ns), ns.name());
  }

  private String where(NftFamily family, String table) {
    return "table " + family.keyword() + " " + table + " in netns " + namespace;
  }

  private MessageBuilder get(int msg, int flags, NftFamily family) {
    return Nfnetlink.request(Nfnetlink.NFNL_SUBSYS_NFTABLES, msg, flags, family.code(), 0);
  }

  /** The ruleset generation (NFT_MSG_GETGEN), which every committed batch increments. */
  public long generation() {
    MessageBuilder m = Nfnetlink.request(Nfnetlink.NFNL_SUBSYS_NFTABLES, Uapi.Msg.GETGEN, 0, Nfnetlink.NFPROTO_UNSPEC, 0);
    for (Message r : socket.request(m, "get", "nf_tables generation in netns " + namespace)) {
      if (Nfnetlink.message(r.type()) == Uapi.Msg.NEWGEN) {
        return r.attributes(Nfnetlink.NFGENMSG_LEN).get(Uapi.Msg.GEN_ID).map(g -> Integer.toUnsignedLong(g.be32()))
            .orElseThrow();
      }
    }
    throw new IllegalStateException("no NEWGEN reply in netns " + namespace);
  }

  /**
   * The table as the kernel holds it, or empty if it does not exist: its chains and sets in the
   * kernel's order (the order they were added), each set's elements sorted by key (unsigned
   * bytes), its rules chain by chain in chain order. Read under one ruleset generation: if the
   * ruleset changes meanwhile, it is read again.
   */
  public Optional<TableSpec> read(NftFamily family, String table) {
    for (int attempt = 1; ; attempt++) {
      long before = generation();
      Optional<TableSpec> t = readOnce(family, table);
      if (generation() == before || attempt == RECONCILE_ATTEMPTS) {
        return t;
      }
    }
  }

  private Optional<TableSpec> readOnce(NftFamily family, String table) {
    String what = where(family, table);
    try {
      socket.request(get(Uapi.Msg.GETTABLE, 0, family).attrString(Uapi.Table.NAME, table), "get", what);
    } catch (NetlinkException e) {
      if (e.errno() == Errno.ENOENT) {
        return Optional.empty();
      }
      throw e;
    }
    List<ChainSpec> chains = new ArrayList<>();
    for (Message m : socket.dump(get(Uapi.Msg.GETCHAIN, 0, family).attrString(Uapi.Chain.TABLE, table), "list chains of", what)) {
      if (inTable(m, family, Uapi.Chain.TABLE, table)) {
        chains.add(DumpDecoder.chain(m));
      }
    }
    List<SetSpec> sets = new ArrayList<>();
    for (Message m : socket.dump(get(Uapi.Msg.GETSET, 0, family).attrString(Uapi.Set.TABLE, table), "list sets of", what)) {
      if (inTable(m, family, Uapi.Set.TABLE, table)) {
        SetSpec s = DumpDecoder.set(m);
        sets.add(new SetSpec(s.name(), s.key(), s.data(), s.flags(), elements(family, table, s.name())));
      }
    }
    List<RuleSpec> rules = new ArrayList<>();
    for (Message m : socket.dump(get(Uapi.Msg.GETRULE, 0, family).attrString(Uapi.Rule.TABLE, table), "list rules of", what)) {
      if (inTable(m, family, Uapi.Rule.TABLE, table)) {
        rules.add(DumpDecoder.rule(m));
      }
    }
    return Optional.of(new TableSpec(family, table, chains, sets, rules));
  }

  private static boolean inTable(Message m, NftFamily family, int tableAttr, String table) {
    return Nfnetlink.family(m) == family.code()
        && table.equals(m.attributes(Nfnetlink.NFGENMSG_LEN).string(tableAttr).orElse(""));
  }

  private List<SetElement> elements(NftFamily family, String table, String set) {
    MessageBuilder dump = get(Uapi.Msg.GETSETELEM, 0, family)
        .attrString(Uapi.Elem.LIST_TABLE, table).attrString(Uapi.Elem.LIST_SET, set);
    List<SetElement> out = new ArrayList<>();
    for (Message m : socket.dump(dump, "list elements of set " + set + " of", where(family, table))) {
      out.addAll(DumpDecoder.elements(m));
    }
    out.sort(Comparator.comparing(SetElement::key, NfTables::compareUnsigned));
    return out;
  }

  private static int compareUnsigned(Datum a, Datum b) {
    return java.util.Arrays.compareUnsigned(a.bytes(), b.bytes());
  }

  /**
   * Applies {@code changes} to the table as one atomic batch: all of them or, if the kernel
   * refuses any, none. The exception then names the first refused change (op and object), the
   * errno and the kernel's extended-ack text.
   */
  public void apply(NftFamily family, String table, List<NftChange> changes) {
    apply(family, table, changes, -1);
  }

  private void apply(NftFamily family, String table, List<NftChange> changes, long generation) {
    if (changes.isEmpty()) {
      return;
    }
    BatchEncoder.Batch batch = new BatchEncoder(family, table, set -> isVerdictMap(family, table, set))
        .encode(changes, generation);
    String what = where(family, table);
    Map<Integer, NetlinkError> answers = socket.sendBatch(batch.messages(), "apply batch to", what);
    answers.entrySet().stream().filter(e -> !e.getValue().isAck()).min(Map.Entry.comparingByKey()).ifPresent(e -> {
      int change = batch.changeOf()[e.getKey()];
      long refused = answers.values().stream().filter(a -> !a.isAck()).count();
      String tail = " of " + what + " (change " + (change + 1) + " of " + changes.size()
          + (refused > 1 ? ", " + (refused - 1) + " later message(s) also refused" : "") + "; nothing was applied)";
      if (change < 0) {
        throw new NetlinkException("commit", "batch of " + changes.size() + " change(s) to " + what, e.getValue());
      }
      NftChange c = changes.get(change);
      throw new NetlinkException(c.op(), c.object() + tail, e.getValue());
    });
  }

  /** Whether an existing set of the table is a verdict map (NFT_MSG_GETSET); false if it does not exist. */
  private boolean isVerdictMap(NftFamily family, String table, String set) {
    try {
      for (Message m : socket.request(get(Uapi.Msg.GETSET, 0, family).attrString(Uapi.Set.TABLE, table)
          .attrString(Uapi.Set.NAME, set), "get set " + set + " of", where(family, table))) {
        if (Nfnetlink.message(m.type()) == Uapi.Msg.NEWSET) {
          return KeyType.VERDICT.equals(DumpDecoder.set(m).data());
        }
      }
    } catch (NetlinkException e) {
      if (e.errno() != Errno.ENOENT) {
        throw e;
      }
    }
    return false;
  }

  /**
   * Reads the table, diffs it against {@code desired} and applies the difference in one batch
   * that the kernel refuses if the ruleset changed after the read (then it is read again).
   * Returns the changes applied: empty when the table already was as desired.
   */
  public List<NftChange> reconcile(TableSpec desired) {
    for (int attempt = 1; ; attempt++) {
      long generation = generation();
      TableSpec observed = readOnce(desired.family(), desired.name()).orElse(null);
      List<NftChange> changes = TableDiff.diff(desired, observed);
      try {
        apply(desired.family(), desired.name(), changes, generation);
        return changes;
      } catch (KernelException e) {
        if (e.errno() != ERESTART || attempt == RECONCILE_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** Deletes the table and everything in it; a table that does not exist is not an error. */
  public void deleteTable(NftFamily family, String table) {
    try {
      apply(family, table, List.of(new NftChange.DeleteTable()));
    } catch (NetlinkException e) {
      if (e.errno() != Errno.ENOENT) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
