package meshplane.netlink.genl;

import static meshplane.netlink.GoldenBytes.assertBytes;
import static meshplane.netlink.GoldenBytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import meshplane.netlink.GoldenBytes;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.Nlmsg;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The controller's GETFAMILY request and its answer, against what genl(8) exchanged with the kernel. */
@Tag("unit")
class GenericNetlinkTest {

  /**
   * {@code ip netns add mpt-golden; strace -f -x -s 4096 -e trace=sendmsg,recvmsg -e write=all
   * -e read=all ip netns exec mpt-golden genl ctrl get name nlctrl; ip netns del mpt-golden}:
   * the request (genlmsghdr cmd 3, version 0; CTRL_ATTR_FAMILY_NAME "nlctrl")...
   */
  private static final byte[] GETFAMILY_NLCTRL = hex(
      "20 00 00 00 10 00 05 00  66 33 02 6b 00 00 00 00",
      "03 00 00 00 0b 00 02 00  6e 6c 63 74 72 6c 00 00");

  /** ...and the answer: id 0x10, version 2, hdrsize 0, maxattr 0, two ops, group "notify" = 0x10. */
  private static final byte[] NEWFAMILY_NLCTRL = hex(
      "88 00 00 00 10 00 00 00  66 33 02 6b 3e 10 00 00",
      "01 02 00 00 0b 00 02 00  6e 6c 63 74 72 6c 00 00",
      "06 00 01 00 10 00 00 00  08 00 03 00 02 00 00 00",
      "08 00 04 00 00 00 00 00  08 00 05 00 00 00 00 00",
      "2c 00 06 00 14 00 01 00  08 00 01 00 03 00 00 00",
      "08 00 02 00 0e 00 00 00  14 00 02 00 08 00 01 00",
      "0a 00 00 00 08 00 02 00  0c 00 00 00 1c 00 07 00",
      "18 00 01 00 08 00 02 00  10 00 00 00 0b 00 01 00",
      "6e 6f 74 69 66 79 00 00");

  /** The same for "IPVS", on a kernel without it: the request; the answer is -ENOENT. */
  private static final byte[] GETFAMILY_IPVS = hex(
      "20 00 00 00 10 00 05 00  67 33 02 6b 00 00 00 00",
      "03 00 00 00 09 00 02 00  49 50 56 53 00 00 00 00");

  @Test
  void getFamilyRequestIsWhatGenlSends() {
    // NetlinkSocket.request adds NLM_F_REQUEST | NLM_F_ACK, as genl sets them
    MessageBuilder m = GenericNetlink.getFamilyRequest("nlctrl").addFlags(Nlmsg.NLM_F_REQUEST | Nlmsg.NLM_F_ACK);
    assertBytes(GETFAMILY_NLCTRL, m.build(0x6b023366, 0), "genl ctrl get name nlctrl");
    MessageBuilder ipvs = GenericNetlink.getFamilyRequest("IPVS").addFlags(Nlmsg.NLM_F_REQUEST | Nlmsg.NLM_F_ACK);
    assertBytes(GETFAMILY_IPVS, ipvs.build(0x6b023367, 0), "genl ctrl get name IPVS");
  }

  @Test
  void familyDecodedFromTheControllersAnswer() {
    GenlFamily f = GenericNetlink.parseFamily(GoldenBytes.message(NEWFAMILY_NLCTRL));
    assertEquals(new GenlFamily("nlctrl", 0x10, 2, 0, 0, Map.of("notify", 0x10)), f);
    assertEquals(0x10, f.multicastGroup("notify").orElseThrow());
    assertTrue(f.multicastGroup("nothing").isEmpty());
  }

  @Test
  void aRequestToAFamilyStartsWithGenlmsghdr() {
    byte[] b = GenericNetlink.request(0x1e, 5, 1, Nlmsg.NLM_F_REQUEST).attrU32(1, 7).build(1, 0);
    assertBytes(hex("1c 00 00 00 1e 00 01 00 01 00 00 00 00 00 00 00",
        "05 01 00 00",                // cmd 5, version 1, reserved
        "08 00 01 00 07 00 00 00"), b, "genlmsghdr");
  }

  @Test
  void familyNamesLongerThanTheKernelsAreRefusedBeforeSending() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GenericNetlink.getFamilyRequest("mpVeryLongFamilyName"));
    assertEquals("generic netlink family name \"mpVeryLongFamilyName\" must be 1 to 15 bytes", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> GenericNetlink.getFamilyRequest(""));
  }
}
