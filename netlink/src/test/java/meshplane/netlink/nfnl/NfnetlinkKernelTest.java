package meshplane.netlink.nfnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import meshplane.netlink.Message;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.NetlinkProtocol;
import meshplane.netlink.NetlinkSocket;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A NETLINK_NETFILTER socket in a fresh namespace lists nf_tables tables, as {@code nft list
 * tables} does; nft(8) is the actor that makes one.
 */
@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class NfnetlinkKernelTest {
  private static final int NFT_MSG_NEWTABLE = 0;
  private static final int NFT_MSG_GETTABLE = 1;
  private static final int NFTA_TABLE_NAME = 1;

  /** family:name of every table, from a GETTABLE dump. */
  private static List<String> tables(NetlinkSocket s) {
    MessageBuilder dump = Nfnetlink.request(Nfnetlink.NFNL_SUBSYS_NFTABLES, NFT_MSG_GETTABLE, 0,
        Nfnetlink.NFPROTO_UNSPEC, 0);
    List<String> out = new ArrayList<>();
    for (Message m : s.dump(dump, "list", "nf_tables tables in netns " + s.namespace())) {
      assertEquals(Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWTABLE), m.type());
      out.add(Nfnetlink.family(m) + ":" + m.attributes(Nfnetlink.NFGENMSG_LEN).string(NFTA_TABLE_NAME).orElseThrow());
    }
    return out;
  }

  @Test
  void tableDumpIsEmptyThenListsWhatNftAdded(NetNamespace ns) {
    try (NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.NETFILTER, ns)) {
      assertEquals(List.of(), tables(s), "a fresh namespace has no nf_tables tables");
      Command.run("ip", "netns", "exec", ns.name(), "nft", "add", "table", "inet", "mptest").orThrow();
      assertEquals(List.of(Nfnetlink.NFPROTO_INET + ":mptest"), tables(s));
      String witness = Command.run("ip", "netns", "exec", ns.name(), "nft", "list", "tables").orThrow();
      assertTrue(witness.contains("table inet mptest"), witness);
    }
  }
}
