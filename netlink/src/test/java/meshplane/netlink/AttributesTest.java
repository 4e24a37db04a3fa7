package meshplane.netlink;

import static meshplane.netlink.GoldenBytes.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import meshplane.netlink.rtnl.Rtnl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Attribute parsing, on messages the kernel sent (captured with strace, command beside each). */
@Tag("unit")
class AttributesTest {

  /**
   * The RTM_NEWADDR notification {@code ip -n mpt-golden monitor address} received (strace -e
   * read=all) for {@code ip -n mpt-golden addr add 198.18.0.9/24 dev mp-n0}.
   */
  static final byte[] NEWADDR = hex(
      "50 00 00 00 14 00 00 00  13 34 02 6b 63 14 00 00",
      "02 18 80 00 03 00 00 00  08 00 01 00 c6 12 00 09",
      "08 00 02 00 c6 12 00 09  0a 00 03 00 6d 70 2d 6e",
      "30 00 00 00 08 00 08 00  80 00 00 00 14 00 06 00",
      "ff ff ff ff ff ff ff ff  02 f6 09 00 02 f6 09 00");

  /** The controller's reply to {@code ip netns exec mpt-golden genl ctrl get name nlctrl}. */
  static final byte[] NLCTRL_FAMILY = hex(
      "88 00 00 00 10 00 00 00  66 33 02 6b 3e 10 00 00",
      "01 02 00 00 0b 00 02 00  6e 6c 63 74 72 6c 00 00",
      "06 00 01 00 10 00 00 00  08 00 03 00 02 00 00 00",
      "08 00 04 00 00 00 00 00  08 00 05 00 00 00 00 00",
      "2c 00 06 00 14 00 01 00  08 00 01 00 03 00 00 00",
      "08 00 02 00 0e 00 00 00  14 00 02 00 08 00 01 00",
      "0a 00 00 00 08 00 02 00  0c 00 00 00 1c 00 07 00",
      "18 00 01 00 08 00 02 00  10 00 00 00 0b 00 01 00",
      "6e 6f 74 69 66 79 00 00");

  private static Attributes after(byte[] message, int headerLength) {
    return GoldenBytes.message(message).attributes(headerLength);
  }

  @Test
  void attributesOfAnAddressNotificationInOrderUnknownOnesKept() throws Exception {
    Attributes a = after(NEWADDR, Rtnl.IFADDRMSG_LEN);
    assertEquals(List.of(Rtnl.IFA_ADDRESS, Rtnl.IFA_LOCAL, Rtnl.IFA_LABEL, Rtnl.IFA_FLAGS, 6),
        a.all().stream().map(Attribute::type).toList(), "IFA_CACHEINFO (6), which nothing asks for, is kept");
    assertEquals(InetAddress.getByName("198.18.0.9"), a.get(Rtnl.IFA_LOCAL).orElseThrow().address());
    assertEquals("mp-n0", a.string(Rtnl.IFA_LABEL).orElseThrow(), "the NUL is not part of the string");
    assertEquals(0x80, a.u32(Rtnl.IFA_FLAGS).orElseThrow());
    assertEquals(16, a.get(6).orElseThrow().length());
    assertFalse(a.has(Rtnl.IFA_BROADCAST));
    assertTrue(a.get(Rtnl.IFA_BROADCAST).isEmpty());
  }

  @Test
  void nestedListOfNestsFromTheGenericNetlinkController() {
    Attributes a = after(NLCTRL_FAMILY, 4);
    assertEquals("nlctrl", a.string(2).orElseThrow());
    assertEquals(0x10, a.get(1).orElseThrow().u16());
    Attributes ops = a.nested(6).orElseThrow();
    assertEquals(2, ops.size());
    assertEquals(List.of(3, 10), ops.all().stream().map(op -> op.nestedAttributes().u32(1).orElseThrow()).toList());
    Attributes groups = a.nested(7).orElseThrow();
    Attributes notify = groups.all().get(0).nestedAttributes();
    assertEquals("notify", notify.string(1).orElseThrow());
    assertEquals(0x10, notify.u32(2).orElseThrow());
  }

  @Test
  void nestedAndByteOrderFlagsAreMaskedOffTheType() {
    // IFLA_LINKINFO as Links sends it (0x8012) and as iproute2 does (0x0012); see NewLinkGoldenTest
    Attributes withFlag = Attributes.parse(ByteBuffer.wrap(hex("10 00 12 80 0b 00 01 00 62 72 69 64 67 65 00 00")));
    Attribute linkinfo = withFlag.get(Rtnl.IFLA_LINKINFO).orElseThrow();
    assertTrue(linkinfo.nested());
    assertEquals("bridge", linkinfo.nestedAttributes().string(Rtnl.IFLA_INFO_KIND).orElseThrow());
    Attributes without = Attributes.parse(ByteBuffer.wrap(hex("10 00 12 00 0a 00 01 00 62 72 69 64 67 65 00 00")));
    assertFalse(without.get(Rtnl.IFLA_LINKINFO).orElseThrow().nested());
    assertEquals("bridge", without.nested(Rtnl.IFLA_LINKINFO).orElseThrow().string(1).orElseThrow());
    // NLA_F_NET_BYTEORDER (0x4000) on a be16
    Attribute port = Attributes.parse(ByteBuffer.wrap(hex("06 00 0f 40 12 b5 00 00"))).get(15).orElseThrow();
    assertEquals(4789, port.be16());
  }

  @Test
  void repeatedAttributesAreAllKept() {
    Attributes a = Attributes.parse(ByteBuffer.wrap(hex("08 00 01 00 01 00 00 00 08 00 01 00 02 00 00 00 05 00 02 00 07 00 00 00")));
    assertEquals(List.of(1, 2), a.getAll(1).stream().map(Attribute::u32).toList());
    assertEquals(1, a.u32(1).orElseThrow(), "get returns the first");
    assertEquals(7, a.u8(2).orElseThrow());
  }

  @Test
  void truncatedAttributeIsAClearError() {
    // the notification's attributes, cut 4 bytes into IFA_CACHEINFO's 16-byte value
    ByteBuffer cut = ByteBuffer.wrap(Arrays.copyOfRange(NEWADDR, 24, NEWADDR.length - 12)).order(ByteOrder.nativeOrder());
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Attributes.parse(cut));
    assertEquals("malformed attribute at offset 36: length 20, 8 bytes left", e.getMessage());
  }

  @Test
  void attributeLengthBelowItsHeaderIsAClearError() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Attributes.parse(ByteBuffer.wrap(hex("08 00 01 00 01 00 00 00 02 00 03 00"))));
    assertEquals("malformed attribute at offset 8: length 2, 4 bytes left", e.getMessage());
  }

  @Test
  void readingMoreThanTheAttributeHoldsFails() {
    Attribute label = after(NEWADDR, Rtnl.IFADDRMSG_LEN).get(Rtnl.IFA_LABEL).orElseThrow();
    assertEquals(6, label.length());
    IllegalStateException e = assertThrows(IllegalStateException.class, label::u64);
    assertEquals("attribute 3 has 6 bytes, needs 8", e.getMessage());
    assertArrayEquals(new byte[] {'m', 'p', '-', 'n', '0', 0}, label.bytes());
  }

  @Test
  void anEmptyRegionHasNoAttributes() {
    assertEquals(0, Attributes.parse(ByteBuffer.allocate(0)).size());
  }
}
