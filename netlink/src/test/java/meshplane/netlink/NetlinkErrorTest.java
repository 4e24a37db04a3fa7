package meshplane.netlink;

import static meshplane.netlink.GoldenBytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import meshplane.netlink.rtnl.Rtnl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Decoding the kernel's NLMSG_ERROR and NLMSG_DONE replies, all captured from a 6.18 kernel with
 * strace. iproute2 sets NETLINK_EXT_ACK but not NETLINK_CAP_ACK, so its errors echo the whole
 * request; NetlinkSocket sets both, so the capped forms were captured from meshplane's own socket
 * ({@code strace -f -x -s 4096 -e trace=sendto,recvfrom -e read=all java -cp
 * netlink/target/classes:jna-5.19.1.jar Capture.java}, Capture sending the request named beside
 * each reply through {@code NetlinkSocket.request} in netns mpt-golden).
 *
 * <p>"Unknown device type" comes without NLMSGERR_ATTR_OFFS on this kernel: rtnl_newlink reports
 * it with NL_SET_ERR_MSG, naming no attribute. An error that does name an attribute is the VXLAN
 * driver's refusal of a VNI of 2^24.
 */
@Tag("unit")
class NetlinkErrorTest {

  /**
   * Capped, with TLVs: the answer to RTM_NEWLINK "mp-x" kind "nosuchkind" (the request of
   * {@code ip link add mp-x type nosuchkind}) on meshplane's socket. -EOPNOTSUPP.
   */
  private static final byte[] CAPPED_UNKNOWN_KIND = hex(
      "3c 00 00 00 02 00 00 03  7c 14 54 2f f5 95 7a 94",
      "a1 ff ff ff 40 00 00 00  10 00 05 06 7c 14 54 2f",
      "f5 95 7a 94 18 00 01 00  55 6e 6b 6e 6f 77 6e 20",
      "64 65 76 69 63 65 20 74  79 70 65 00");

  /** Request for the next reply: RTM_NEWLINK "mp-vy" kind vxlan, IFLA_VXLAN_ID 16777216. */
  private static final byte[] VNI_TOO_BIG_REQUEST = hex(
      "48 00 00 00 10 00 05 06  7d 14 54 2f f5 95 7a 94",
      "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00",
      "0a 00 03 00 6d 70 2d 76  79 00 00 00 1c 00 12 00",
      "0a 00 01 00 76 78 6c 61  6e 00 00 00 0c 00 02 00",
      "08 00 01 00 00 00 00 01");
  /** Capped, with NLMSGERR_ATTR_MSG and NLMSGERR_ATTR_OFFS: -ERANGE. */
  private static final byte[] CAPPED_VNI_TOO_BIG = hex(
      "58 00 00 00 02 00 00 03  7d 14 54 2f f5 95 7a 94",
      "de ff ff ff 48 00 00 00  10 00 05 06 7d 14 54 2f",
      "f5 95 7a 94 29 00 01 00  56 58 4c 41 4e 20 49 44",
      "20 6d 75 73 74 20 62 65  20 6c 6f 77 65 72 20 74",
      "68 61 6e 20 31 36 37 37  37 32 31 36 00 00 00 00",
      "08 00 02 00 40 00 00 00");

  /** Not capped, with TLVs: {@code ip -n mpt-golden link add mp-x type nosuchkind} (iproute2). */
  private static final byte[] UNCAPPED_UNKNOWN_KIND = hex(
      "6c 00 00 00 02 00 00 02  45 33 02 6b 7d 0f 00 00",
      "a1 ff ff ff 40 00 00 00  10 00 05 06 45 33 02 6b",
      "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00",
      "00 00 00 00 09 00 03 00  6d 70 2d 78 00 00 00 00",
      "14 00 12 00 0e 00 01 00  6e 6f 73 75 63 68 6b 69",
      "6e 64 00 00 18 00 01 00  55 6e 6b 6e 6f 77 6e 20",
      "64 65 76 69 63 65 20 74  79 70 65 00");

  /** A plain ACK, capped: {@code ip -n mpt-golden link add mp-br type bridge} succeeding. */
  private static final byte[] ACK = hex(
      "24 00 00 00 02 00 00 01  33 33 02 6b 54 0f 00 00",
      "00 00 00 00 3c 00 00 00  10 00 05 06 33 33 02 6b",
      "00 00 00 00");

  /** Neither capped nor TLVs: {@code ip netns exec mpt-golden genl ctrl get name IPVS}, -ENOENT. */
  private static final byte[] PLAIN_ENOENT = hex(
      "34 00 00 00 02 00 00 00  67 33 02 6b 45 10 00 00",
      "fe ff ff ff 20 00 00 00  10 00 05 00 67 33 02 6b",
      "00 00 00 00 03 00 00 00  09 00 02 00 49 50 56 53",
      "00 00 00 00");

  /**
   * A dump that fails reports it in its NLMSG_DONE: {@code ip -n mpt-golden -4 route show table
   * 999}, flags NLM_F_MULTI | NLM_F_DUMP_FILTERED | NLM_F_ACK_TLVS, -ENOENT and the message.
   */
  private static final byte[] DONE_WITH_ERROR = hex(
      "38 00 00 00 03 00 22 02  45 33 02 6b 84 0f 00 00",
      "fe ff ff ff 23 00 01 00  69 70 76 34 3a 20 46 49",
      "42 20 74 61 62 6c 65 20  64 6f 65 73 20 6e 6f 74",
      "20 65 78 69 73 74 00 00");

  /** The DONE of a successful dump: {@code ip netns exec mpt-golden nft list tables}. */
  private static final byte[] DONE = hex("14 00 00 00 03 00 02 00  00 00 00 00 5c 12 00 00  00 00 00 00");

  @Test
  void cappedErrorWithExtendedAckMessage() {
    Message m = GoldenBytes.message(CAPPED_UNKNOWN_KIND);
    assertTrue(m.hasFlag(Nlmsg.NLM_F_CAPPED | Nlmsg.NLM_F_ACK_TLVS));
    NetlinkError e = NetlinkError.ofError(m);
    assertEquals(95, e.errno(), "EOPNOTSUPP");
    assertEquals(0x2f54147c, e.requestSeq());
    assertEquals("Unknown device type", e.message());
    assertEquals(-1, e.offset(), "no NLMSGERR_ATTR_OFFS for this error");
    assertFalse(e.isAck());
    NetlinkException x = new NetlinkException("add", "nosuchkind mp-x in netns mpt-golden", e);
    assertEquals("EOPNOTSUPP", x.errnoName());
    assertEquals("Unknown device type", x.kernelMessage());
    assertTrue(x.getMessage().startsWith("add nosuchkind mp-x in netns mpt-golden: EOPNOTSUPP ("), x.getMessage());
    assertTrue(x.getMessage().endsWith(": kernel says \"Unknown device type\""), x.getMessage());
  }

  @Test
  void cappedErrorWithOffsetPointsAtTheAttributeInTheRequest() {
    NetlinkError e = NetlinkError.ofError(GoldenBytes.message(CAPPED_VNI_TOO_BIG));
    assertEquals(34, e.errno(), "ERANGE");
    assertEquals("VXLAN ID must be lower than 16777216", e.message());
    assertEquals(64, e.offset());
    // the offset counts from the start of the request, nlmsghdr included: IFLA_VXLAN_ID is there
    ByteBuffer req = ByteBuffer.wrap(VNI_TOO_BIG_REQUEST).order(ByteOrder.nativeOrder());
    assertEquals(8, req.getShort(e.offset()), "nla_len");
    assertEquals(Rtnl.IFLA_VXLAN_ID, req.getShort(e.offset() + 2), "nla_type");
    assertEquals(1 << 24, req.getInt(e.offset() + 4));
    assertEquals(64, new NetlinkException("add", "vxlan mp-vy", e).attributeOffset());
  }

  @Test
  void uncappedErrorSkipsTheEchoedRequestToReachTheTlvs() {
    Message m = GoldenBytes.message(UNCAPPED_UNKNOWN_KIND);
    assertFalse(m.hasFlag(Nlmsg.NLM_F_CAPPED));
    NetlinkError e = NetlinkError.ofError(m);
    assertEquals(95, e.errno());
    assertEquals(0x6b023345, e.requestSeq());
    assertEquals("Unknown device type", e.message());
  }

  @Test
  void plainAck() {
    NetlinkError e = NetlinkError.ofError(GoldenBytes.message(ACK));
    assertTrue(e.isAck());
    assertEquals(0, e.errno());
    assertEquals(0x6b023333, e.requestSeq());
    assertEquals("", e.message());
    assertEquals(-1, e.offset());
  }

  @Test
  void errorWithoutTlvs() {
    NetlinkError e = NetlinkError.ofError(GoldenBytes.message(PLAIN_ENOENT));
    assertEquals(Errno.ENOENT, e.errno());
    assertEquals(0x6b023367, e.requestSeq());
    assertEquals("", e.message());
  }

  @Test
  void doneCarryingAnError() {
    Message m = GoldenBytes.message(DONE_WITH_ERROR);
    assertEquals(Nlmsg.NLMSG_DONE, m.type());
    NetlinkError e = NetlinkError.ofDone(m);
    assertEquals(Errno.ENOENT, e.errno());
    assertEquals(0x6b023345, e.requestSeq(), "a DONE answers the dump with its own sequence number");
    assertEquals("ipv4: FIB table does not exist", e.message());
    assertFalse(e.isAck());
  }

  @Test
  void doneOfASuccessfulDump() {
    NetlinkError e = NetlinkError.ofDone(GoldenBytes.message(DONE));
    assertTrue(e.isAck());
    assertEquals("", e.message());
  }
}
