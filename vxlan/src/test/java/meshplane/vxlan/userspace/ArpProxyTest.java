package meshplane.vxlan.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import meshplane.netlink.MacAddress;
import meshplane.vxlan.Peer;
import meshplane.vxlan.PeerChange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The ARP proxy's reply, byte by byte against a frame written out by hand. */
@Tag("unit")
class ArpProxyTest {
  static final HexFormat HEX = HexFormat.of();

  /** eB (02:42:0a:63:00:03, 10.99.0.3) asks who has 10.99.0.2, the peer eA (02:42:0a:63:00:02). */
  static final String REQUEST =
      "ffffffffffff" + "02420a630003" + "0806" // Ethernet: broadcast, from eB, ARP
      + "0001" + "0800" + "06" + "04" + "0001" // Ethernet/IPv4, request
      + "02420a630003" + "0a630003" // sender eB 10.99.0.3
      + "000000000000" + "0a630002"; // target ? 10.99.0.2

  static final String REPLY =
      "02420a630003" + "02420a630002" + "0806" // Ethernet: to eB, from the peer eA, ARP
      + "0001" + "0800" + "06" + "04" + "0002" // Ethernet/IPv4, reply
      + "02420a630002" + "0a630002" // sender eA 10.99.0.2
      + "02420a630003" + "0a630003"; // target eB 10.99.0.3

  static PeerRoutes peers() throws Exception {
    Peer eA = new Peer("red", InetAddress.getByName("10.99.0.2"), MacAddress.parse("02:42:0a:63:00:02"),
        (Inet4Address) InetAddress.getByName("198.18.5.1"));
    return PeerRoutes.empty("red", 4789).apply(List.of(new PeerChange.Add(eA)));
  }

  static ByteBuffer frame(String hex) {
    byte[] b = HEX.parseHex(hex);
    ByteBuffer buf = ByteBuffer.allocateDirect(2048);
    buf.put(b).clear();
    return buf;
  }

  static String answer(String requestHex) throws Exception {
    ByteBuffer reply = ByteBuffer.allocateDirect(ArpProxy.FRAME_LENGTH);
    int n = ArpProxy.answer(frame(requestHex), requestHex.length() / 2, peers(), reply);
    byte[] out = new byte[n];
    reply.get(0, out);
    return HEX.formatHex(out);
  }

  @Test
  void aRequestForAPeerIsAnsweredWithItsMac() throws Exception {
    assertEquals(REPLY, answer(REQUEST));
  }

  @Test
  void aUnicastProbeAndAPaddedFrameAreAnsweredToo() throws Exception {
    String probe = "02420a630002" + REQUEST.substring(12); // NUD probe: sent to the cached MAC
    assertEquals(REPLY, answer(probe));
    assertEquals(REPLY, answer(REQUEST + "00".repeat(18)), "a 60-byte padded request");
  }

  @Test
  void anythingElseIsNotAnswered() throws Exception {
    String forOther = REQUEST.substring(0, REQUEST.length() - 8) + "0a630009";
    String gratuitous = REQUEST.substring(0, 56) + "0a630002" + "000000000000" + "0a630002";
    String reply = REQUEST.substring(0, 40) + "0002" + REQUEST.substring(44);
    String ipv6 = REQUEST.substring(0, 32) + "86dd" + REQUEST.substring(36);
    String loopback = REQUEST.substring(0, REQUEST.length() - 8) + "7f000001";
    String multicast = REQUEST.substring(0, REQUEST.length() - 8) + "e0000001";
    for (String f : List.of(forOther, gratuitous, reply, ipv6, loopback, multicast, REQUEST.substring(0, 82))) {
      assertEquals("", answer(f), f);
    }
  }

  @Test
  void macAndAddressKeys() throws Exception {
    assertEquals(0x02420a630002L, PeerRoutes.mac(MacAddress.parse("02:42:0a:63:00:02")));
    assertEquals(0xffffffffffffL, PeerRoutes.mac(MacAddress.parse("ff:ff:ff:ff:ff:ff")));
    assertEquals(0x0a630002, PeerRoutes.ipv4(InetAddress.getByName("10.99.0.2")));
    assertEquals(0x02420a630003L, ArpProxy.mac(frame(REQUEST), 6));
  }
}
