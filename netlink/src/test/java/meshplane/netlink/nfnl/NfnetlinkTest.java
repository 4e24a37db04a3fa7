package meshplane.netlink.nfnl;

import static meshplane.netlink.GoldenBytes.assertBytes;
import static meshplane.netlink.GoldenBytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import meshplane.netlink.GoldenBytes;
import meshplane.netlink.Message;
import meshplane.netlink.Nlmsg;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** nfnetlink framing against what nft(8) exchanged with the kernel. */
@Tag("unit")
class NfnetlinkTest {
  private static final int NFT_MSG_NEWTABLE = 0;
  private static final int NFT_MSG_GETTABLE = 1;
  private static final int NFTA_TABLE_NAME = 1;

  /**
   * {@code ip netns add mpt-golden; ip netns exec mpt-golden nft add table inet mptest; strace -f
   * -x -s 4096 -e trace=sendto,recvmsg -e write=all -e read=all ip netns exec mpt-golden nft list
   * tables; ip netns del mpt-golden}: the table dump request (NFT_MSG_GETTABLE, NLM_F_REQUEST |
   * NLM_F_DUMP, nfgenmsg family NFPROTO_UNSPEC, version 0, res_id 0; nft leaves seq at 0)...
   */
  private static final byte[] GETTABLE_DUMP = hex(
      "14 00 00 00 01 0a 01 03  00 00 00 00 00 00 00 00",
      "00 00 00 00");

  /** ...and its one answer: NFT_MSG_NEWTABLE, family inet, res_id (generation) 2, name "mptest". */
  private static final byte[] NEWTABLE = hex(
      "3c 00 00 00 00 0a 02 00  00 00 00 00 5c 12 00 00",
      "01 00 00 02 0b 00 01 00  6d 70 74 65 73 74 00 00",
      "08 00 03 00 00 00 00 00  0c 00 04 00 00 00 00 00",
      "00 00 00 01 08 00 02 00  00 00 00 00");

  @Test
  void tableDumpRequestIsWhatNftSends() {
    byte[] b = Nfnetlink.request(Nfnetlink.NFNL_SUBSYS_NFTABLES, NFT_MSG_GETTABLE,
        Nlmsg.NLM_F_REQUEST | Nlmsg.NLM_F_DUMP, Nfnetlink.NFPROTO_UNSPEC, 0).build(0, 0);
    assertBytes(GETTABLE_DUMP, b, "nft list tables (GETTABLE dump)");
  }

  @Test
  void resIdIsBigEndian() {
    byte[] b = Nfnetlink.request(Nfnetlink.NFNL_SUBSYS_NONE, Nfnetlink.NFNL_MSG_BATCH_BEGIN, Nlmsg.NLM_F_REQUEST,
        Nfnetlink.NFPROTO_UNSPEC, Nfnetlink.NFNL_SUBSYS_NFTABLES).build(1, 0);
    // a batch begin names the subsystem of the batch in res_id: be16 10 = 00 0a
    assertBytes(hex("14 00 00 00 10 00 01 00 01 00 00 00 00 00 00 00", "00 00 00 0a"), b, "BATCH_BEGIN");
  }

  @Test
  void typeSplitsIntoSubsystemAndMessage() {
    assertEquals(0x0a01, Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_NFTABLES, NFT_MSG_GETTABLE));
    assertEquals(Nfnetlink.NFNL_SUBSYS_NFTABLES, Nfnetlink.subsystem(0x0a01));
    assertEquals(NFT_MSG_GETTABLE, Nfnetlink.message(0x0a01));
  }

  @Test
  void answerDecodes() {
    Message m = GoldenBytes.message(NEWTABLE);
    assertEquals(Nfnetlink.type(Nfnetlink.NFNL_SUBSYS_NFTABLES, NFT_MSG_NEWTABLE), m.type());
    assertEquals(Nfnetlink.NFPROTO_INET, Nfnetlink.family(m));
    assertEquals(2, Nfnetlink.resId(m));
    assertEquals("mptest", m.attributes(Nfnetlink.NFGENMSG_LEN).string(NFTA_TABLE_NAME).orElseThrow());
  }
}
