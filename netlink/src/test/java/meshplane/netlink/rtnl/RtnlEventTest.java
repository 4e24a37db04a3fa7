package meshplane.netlink.rtnl;

import static meshplane.netlink.GoldenBytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Arrays;
import meshplane.netlink.GoldenBytes;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Decoding notifications. The bytes are what {@code ip -n mpt-golden monitor neigh address}
 * received (strace -x -e trace=recvmsg -e read=all), with mp-n0 (ifindex 3) one end of a veth,
 * while another shell ran the command beside each message.
 */
@Tag("unit")
class RtnlEventTest {

  /** ip -n mpt-golden neigh add 198.18.0.2 lladdr 02:42:c6:12:00:02 dev mp-n0 */
  private static final byte[] NEWNEIGH = hex(
      "4c 00 00 00 1c 00 00 00  00 00 00 00 62 14 00 00",
      "02 00 00 00 03 00 00 00  80 00 00 01 08 00 01 00",
      "c6 12 00 02 0a 00 02 00  02 42 c6 12 00 02 00 00",
      "08 00 04 00 00 00 00 00  14 00 03 00 00 00 00 00",
      "00 00 00 00 00 00 00 00  01 00 00 00");

  /** ip -n mpt-golden neigh del 198.18.0.2 dev mp-n0 (the entry is FAILED, without lladdr, when it goes). */
  private static final byte[] DELNEIGH = hex(
      "40 00 00 00 1d 00 00 00  00 00 00 00 00 00 00 00",
      "02 00 00 00 03 00 00 00  20 00 00 01 08 00 01 00",
      "c6 12 00 02 08 00 04 00  00 00 00 00 14 00 03 00",
      "00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00");

  /** ip -n mpt-golden addr add 198.18.0.9/24 dev mp-n0 */
  private static final byte[] NEWADDR = hex(
      "50 00 00 00 14 00 00 00  13 34 02 6b 63 14 00 00",
      "02 18 80 00 03 00 00 00  08 00 01 00 c6 12 00 09",
      "08 00 02 00 c6 12 00 09  0a 00 03 00 6d 70 2d 6e",
      "30 00 00 00 08 00 08 00  80 00 00 00 14 00 06 00",
      "ff ff ff ff ff ff ff ff  02 f6 09 00 02 f6 09 00");

  private static RtnlEvent decode(byte[] b) {
    return RtnlEvent.decode(GoldenBytes.message(b)).orElseThrow();
  }

  @Test
  void neighbourAdded() throws Exception {
    RtnlEvent.NeighbourEvent e = (RtnlEvent.NeighbourEvent) decode(NEWNEIGH);
    assertEquals(RtnlEvent.Change.NEW, e.change());
    assertEquals(Rtnl.AF_INET, e.family());
    assertEquals(3, e.linkIndex());
    assertEquals(InetAddress.getByName("198.18.0.2"), e.destination());
    assertEquals(MacAddress.parse("02:42:c6:12:00:02"), e.mac());
    assertEquals(Rtnl.NUD_PERMANENT, e.state());
    assertTrue(e.isPermanent());
  }

  @Test
  void neighbourDeletedWithoutLinkLayerAddress() throws Exception {
    RtnlEvent.NeighbourEvent e = (RtnlEvent.NeighbourEvent) decode(DELNEIGH);
    assertEquals(RtnlEvent.Change.DEL, e.change());
    assertEquals(InetAddress.getByName("198.18.0.2"), e.destination());
    assertNull(e.mac());
    assertEquals(0x20, e.state(), "NUD_FAILED");
    assertFalse(e.isPermanent());
  }

  @Test
  void addressAdded() {
    RtnlEvent.AddressEvent e = (RtnlEvent.AddressEvent) decode(NEWADDR);
    assertEquals(new RtnlEvent.AddressEvent(RtnlEvent.Change.NEW, new AddressEntry(3, null,
        IpPrefix.parse("198.18.0.9/24"), Rtnl.RT_SCOPE_UNIVERSE, "mp-n0", 0x80)), e);
  }

  @Test
  void otherMessageTypesAreNotEvents() {
    byte[] route = NEWADDR.clone();
    route[4] = (byte) Rtnl.RTM_NEWROUTE;
    assertTrue(RtnlEvent.decode(GoldenBytes.message(route)).isEmpty());
  }

  @Test
  void aShortFixedHeaderIsAnError() {
    byte[] cut = Arrays.copyOf(NEWADDR, 20);
    cut[0] = 20; // nlmsg_len: header plus 4 of ifaddrmsg's 8 bytes
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> RtnlEvent.decode(GoldenBytes.message(cut)));
    assertEquals("rtnetlink message type 20 has 4 bytes, too short for its ifaddrmsg of 8", e.getMessage());
  }
}
