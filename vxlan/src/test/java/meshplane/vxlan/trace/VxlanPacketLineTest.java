package meshplane.vxlan.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The formatter on golden frames: real VXLAN packets captured on a lab node's eth0 with
 * {@code tcpdump -i eth0 -nn -w gold.pcap udp dst port 4789} (kernel VXLAN devices vx42 / vx43 between
 * node1 198.18.0.1 and node2 198.18.0.2, inner 10.42.0.0/24 and 10.43.0.0/24), the bytes printed by
 * {@code tcpdump -nn -r gold.pcap -xx -e}, and tcpdump's own reading of each quoted beside it.
 */
@Tag("unit")
class VxlanPacketLineTest {
  private static final HexFormat HEX = HexFormat.of();

  // 198.18.0.1.42550 > 198.18.0.2.4789: VXLAN, flags [I] (0x08), vni 42
  // 02:00:0a:2a:00:01 > 02:00:0a:2a:00:02, ethertype IPv4 (0x0800), length 98:
  //   10.42.0.1 > 10.42.0.2: ICMP echo request, id 20208, seq 1, length 64
  static final byte[] ECHO_REQUEST = HEX.parseHex(
      "0200c61200020200c61200010800450000860edd00004011df62c6120001c6120002a63612b500728cab"
      + "0800000000002a0002000a2a000202000a2a000108004500005499b0400040018ca20a2a00010a2a0002"
      + "080079dc4ef00001f839026b0000000070ba050000000000101112131415161718191a1b1c1d1e1f2021"
      + "22232425262728292a2b2c2d2e2f3031323334353637");

  // 198.18.0.2.42550 > 198.18.0.1.4789: VXLAN, flags [I] (0x08), vni 42
  //   10.42.0.2 > 10.42.0.1: ICMP echo reply, id 20208, seq 1, length 64
  static final byte[] ECHO_REPLY = HEX.parseHex(
      "0200c61200010200c61200020800450000868c550000401161eac6120002c6120001a63612b500728cab"
      + "0800000000002a0002000a2a000102000a2a00020800450000540ac3000040015b900a2a00020a2a0001"
      + "000081dc4ef00001f839026b0000000070ba050000000000101112131415161718191a1b1c1d1e1f2021"
      + "22232425262728292a2b2c2d2e2f3031323334353637");

  // 198.18.0.1.43647 > 198.18.0.2.4789: VXLAN, flags [I] (0x08), vni 42
  //   10.42.0.1.49108 > 10.42.0.2.8080: Flags [S], seq 2755990225, win 64860,
  //   options [mss 1410,sackOK,TS val 2022560089 ecr 0,nop,wscale 10], length 0
  static final byte[] TCP_SYN = HEX.parseHex(
      "0200c61200020200c612000108004500006e0ee000004011df77c6120001c6120002aa7f12b5005a780b"
      + "0800000000002a0002000a2a000202000a2a000108004500003c462e40004006e0370a2a00010a2a0002"
      + "bfd41f90a44512d100000000a002fd5c14850000020405820402080a788dd159000000000103030a");

  // 198.18.0.2.54342 > 198.18.0.1.4789: VXLAN, flags [I] (0x08), vni 42
  //   10.42.0.2.8080 > 10.42.0.1.49108: Flags [S.], seq 1878800008, ack 2755990226, win 64308, ...
  static final byte[] TCP_SYN_ACK = HEX.parseHex(
      "0200c61200010200c612000208004500006e8c56000040116201c6120002c6120001d44612b5005a4e44"
      + "0800000000002a0002000a2a000102000a2a000208004500003c00004000400626660a2a00020a2a0001"
      + "1f90bfd46ffc3688a44512d2a012fb3414850000020405820402080a34fb89bc788dd1590103030a");

  // 198.18.0.1.35038 > 198.18.0.2.4789: VXLAN, flags [I] (0x08), vni 43
  // 02:00:0a:2b:00:01 > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42:
  //   Request who-has 10.43.0.2 tell 10.43.0.1, length 28
  static final byte[] ARP_REQUEST = HEX.parseHex(
      "0200c61200020200c612000108004500004e190600004011d571c6120001c612000288de12b5003a8c73"
      + "0800000000002b00ffffffffffff02000a2b00010806000108000604000102000a2b00010a2b0001"
      + "0000000000000a2b0002");

  // 198.18.0.2.35038 > 198.18.0.1.4789: VXLAN, flags [I] (0x08), vni 43
  //   Reply 10.43.0.2 is-at 02:00:0a:2b:00:02, length 28
  static final byte[] ARP_REPLY = HEX.parseHex(
      "0200c61200010200c612000208004500004e962c0000401158" + "4bc6120002c612000188de12b5003a8c73"
      + "0800000000002b0002000a2b000102000a2b00020806000108000604000202000a2b00020a2b0002"
      + "02000a2b00010a2b0001");

  private static final LocalTime T = LocalTime.parse("00:40:24.376011");

  private static VxlanPacketLine line(byte[] frame) {
    return VxlanPacketLine.of(T, frame, frame.length);
  }

  @Test
  void icmpEchoRequest() {
    VxlanPacketLine l = line(ECHO_REQUEST);
    assertEquals("00:40:24.376011 198.18.0.1:42550 -> 198.18.0.2:4789 vni 42, 02:00:0a:2a:00:01 -> 02:00:0a:2a:00:02 IPv4, "
        + "ICMP 10.42.0.1 -> 10.42.0.2 echo request id 20208 seq 1, length 148 (inner 98)", l.text());
    assertEquals(OptionalInt.of(42), l.vni());
    assertFalse(l.malformed());
  }

  @Test
  void icmpEchoReply() {
    assertEquals("00:40:24.376011 198.18.0.2:42550 -> 198.18.0.1:4789 vni 42, 02:00:0a:2a:00:02 -> 02:00:0a:2a:00:01 IPv4, "
        + "ICMP 10.42.0.2 -> 10.42.0.1 echo reply id 20208 seq 1, length 148 (inner 98)", line(ECHO_REPLY).text());
  }

  @Test
  void tcpSyn() {
    VxlanPacketLine l = line(TCP_SYN);
    assertEquals("00:40:24.376011 198.18.0.1:43647 -> 198.18.0.2:4789 vni 42, 02:00:0a:2a:00:01 -> 02:00:0a:2a:00:02 IPv4, "
        + "TCP 10.42.0.1:49108 -> 10.42.0.2:8080 flags [S] seq 2755990225, length 124 (inner 74)", l.text());
    assertFalse(l.malformed());
  }

  @Test
  void tcpSynAck() {
    assertEquals("00:40:24.376011 198.18.0.2:54342 -> 198.18.0.1:4789 vni 42, 02:00:0a:2a:00:02 -> 02:00:0a:2a:00:01 IPv4, "
        + "TCP 10.42.0.2:8080 -> 10.42.0.1:49108 flags [S.] seq 1878800008 ack 2755990226, length 124 (inner 74)",
        line(TCP_SYN_ACK).text());
  }

  @Test
  void arpRequestAndReply() {
    assertEquals("00:40:24.376011 198.18.0.1:35038 -> 198.18.0.2:4789 vni 43, 02:00:0a:2b:00:01 -> ff:ff:ff:ff:ff:ff ARP, "
        + "request who-has 10.43.0.2 tell 10.43.0.1, length 92 (inner 42)", line(ARP_REQUEST).text());
    assertEquals("00:40:24.376011 198.18.0.2:35038 -> 198.18.0.1:4789 vni 43, 02:00:0a:2b:00:02 -> 02:00:0a:2b:00:01 ARP, "
        + "reply 10.43.0.2 is-at 02:00:0a:2b:00:02, length 92 (inner 42)", line(ARP_REPLY).text());
  }

  @Test
  void innerUdpShowsPorts() {
    // The echo request's inner IPv4 header with protocol UDP and an 8-byte UDP header 5353 -> 53.
    byte[] inner = HEX.parseHex("02000a2a000202000a2a00010800" + "4500001c0001000040110000" + "0a2a00010a2a0002"
        + "14e90035000800" + "00");
    VxlanPacketLine l = line(udpFrame(vxlan(0x08, 42, inner)));
    assertTrue(l.text().contains("vni 42, 02:00:0a:2a:00:01 -> 02:00:0a:2a:00:02 IPv4, UDP 10.42.0.1:5353 -> 10.42.0.2:53, length 92 (inner 42)"),
        l.text());
  }

  @Test
  void otherEthertypeIsNamedByNumber() {
    byte[] inner = HEX.parseHex("0180c200000e02000a2a000188cc" + "0000000000000000");
    VxlanPacketLine l = line(udpFrame(vxlan(0x08, 7, inner)));
    assertTrue(l.text().contains("vni 7, 02:00:0a:2a:00:01 -> 01:80:c2:00:00:0e ethertype 0x88cc, length"), l.text());
    assertFalse(l.malformed());
  }

  @Test
  void extraFlagsArePrinted() {
    byte[] inner = Arrays.copyOfRange(ECHO_REQUEST, 50, ECHO_REQUEST.length);
    VxlanPacketLine l = line(udpFrame(vxlan(0x88, 42, inner)));
    assertTrue(l.text().contains(" vni 42 flags 0x88, 02:00:0a:2a:00:01"), l.text());
    assertEquals(OptionalInt.of(42), l.vni());
  }

  @Test
  void payloadShorterThanTheHeaderIsMalformed() {
    VxlanPacketLine l = line(udpFrame("hello".getBytes()));
    assertEquals("00:40:24.376011 198.18.0.1:42550 -> 198.18.0.2:4789 malformed VXLAN: 5 bytes of UDP payload, "
        + "a VXLAN header needs 8, length 47", l.text());
    assertTrue(l.malformed());
    assertEquals(OptionalInt.empty(), l.vni());
  }

  @Test
  void emptyPayloadIsMalformed() {
    VxlanPacketLine l = line(udpFrame(new byte[0]));
    assertTrue(l.text().endsWith("malformed VXLAN: 0 bytes of UDP payload, a VXLAN header needs 8, length 42"), l.text());
  }

  @Test
  void missingIFlagIsMalformed() {
    VxlanPacketLine l = line(udpFrame(vxlan(0x00, 42, Arrays.copyOfRange(ECHO_REQUEST, 50, ECHO_REQUEST.length))));
    assertTrue(l.text().endsWith("-> 198.18.0.2:4789 malformed VXLAN: flags 0x00, the I flag (0x08) is not set, length 148"), l.text());
    assertTrue(l.malformed());
    assertEquals(OptionalInt.empty(), l.vni());
  }

  @Test
  void innerFrameShorterThanAnEthernetHeader() {
    VxlanPacketLine l = line(udpFrame(vxlan(0x08, 42, "abc".getBytes())));
    assertTrue(l.text().endsWith("vni 42, malformed inner frame: 3 bytes, an Ethernet header needs 14, length 53 (inner 3)"), l.text());
    assertTrue(l.malformed());
    assertEquals(OptionalInt.of(42), l.vni());
  }

  @Test
  void innerIpv4TooShortIsMalformed() {
    byte[] inner = HEX.parseHex("02000a2a000202000a2a00010800" + "4500");
    VxlanPacketLine l = line(udpFrame(vxlan(0x08, 42, inner)));
    assertTrue(l.text().contains("vni 42, 02:00:0a:2a:00:01 -> 02:00:0a:2a:00:02 IPv4, malformed IPv4 packet (2 bytes)"), l.text());
    assertTrue(l.malformed());
  }

  @Test
  void innerIpv4HeaderLengthUnderFiveWords() {
    byte[] inner = Arrays.copyOfRange(ECHO_REQUEST, 50, ECHO_REQUEST.length);
    inner[14] = 0x43;
    VxlanPacketLine l = line(udpFrame(vxlan(0x08, 42, inner)));
    assertTrue(l.text().contains("IPv4, malformed IPv4: header length 3 words, less than 5, length 148 (inner 98)"), l.text());
    assertTrue(l.malformed());
  }

  @Test
  void innerIpv4OptionThatDoesNotFit() {
    // IHL 6: one option word after the 20-byte header; option 0x44 (timestamp) with length 0.
    byte[] inner = HEX.parseHex("02000a2a000202000a2a00010800" + "4600002000010000400100000a2a00010a2a0002" + "44000000"
        + "0800000000000000");
    VxlanPacketLine l = line(udpFrame(vxlan(0x08, 42, inner)));
    assertTrue(l.text().contains("IPv4, malformed IPv4: option 68 has length 0, which does not fit the header"), l.text());
  }

  @Test
  void outerIpv4HeaderLengthUnderFiveWords() {
    byte[] frame = ECHO_REQUEST.clone();
    frame[14] = 0x44;
    assertEquals("00:40:24.376011 malformed frame: outer IPv4 header length 4 words, less than 5, length 148", line(frame).text());
  }

  @Test
  void innerIpv6Udp() {
    byte[] inner = HEX.parseHex("02000a2a000202000a2a000186dd" + "6000000000081140"
        + "fd000000000000000000000000000001" + "fd000000000000000000000000000002" + "1234567800080000");
    VxlanPacketLine l = line(udpFrame(vxlan(0x08, 42, inner)));
    assertTrue(l.text().contains("vni 42, 02:00:0a:2a:00:01 -> 02:00:0a:2a:00:02 IPv6, UDP [fd00::1]:4660 -> [fd00::2]:22136, length 112 (inner 62)"),
        l.text());
    assertFalse(l.malformed());
  }

  @Test
  void truncatedCaptureSaysSo() {
    byte[] cut = Arrays.copyOf(ECHO_REQUEST, 96);
    VxlanPacketLine l = VxlanPacketLine.of(T, cut, ECHO_REQUEST.length);
    assertTrue(l.text().startsWith("00:40:24.376011 198.18.0.1:42550 -> 198.18.0.2:4789 vni 42, "), l.text());
    assertTrue(l.text().endsWith(", length 148 (captured 96, inner 98)"), l.text());
  }

  @Test
  void notUdpIsMalformed() {
    byte[] icmp = Arrays.copyOfRange(ECHO_REQUEST, 50, ECHO_REQUEST.length); // an Ethernet frame with ICMP
    VxlanPacketLine l = line(icmp);
    assertEquals("00:40:24.376011 10.42.0.1 -> 10.42.0.2 malformed frame: no UDP header, length 98", l.text());
    assertTrue(l.malformed());
  }

  @Test
  void shorterThanAnEthernetHeader() {
    VxlanPacketLine l = line(new byte[10]);
    assertEquals("00:40:24.376011 malformed frame: 10 bytes, an Ethernet header needs 14, length 10", l.text());
  }

  @Test
  void noIpHeader() {
    byte[] frame = Arrays.copyOf(ARP_REQUEST, 14);
    frame[12] = (byte) 0x88;
    frame[13] = (byte) 0xcc;
    assertEquals("00:40:24.376011 malformed frame: no IPv4 or IPv6 header (14 bytes), length 14", line(frame).text());
  }

  /** Every cut of every golden frame, and random bytes in every header: one line each, never an exception. */
  @Test
  void anyBytesGiveOneLine() {
    Random random = new Random(4789);
    for (byte[] golden : new byte[][] {ECHO_REQUEST, ECHO_REPLY, TCP_SYN, TCP_SYN_ACK, ARP_REQUEST, ARP_REPLY}) {
      for (int cut = 0; cut <= golden.length; cut++) {
        assertOneLine(VxlanPacketLine.of(T, Arrays.copyOf(golden, cut), golden.length));
      }
      for (int i = 0; i < 2000; i++) {
        byte[] b = golden.clone();
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        assertOneLine(line(b));
      }
    }
  }

  private static void assertOneLine(VxlanPacketLine l) {
    assertTrue(l.text().startsWith("00:40:24.376011 "), l.text());
    assertFalse(l.text().contains("\n"), l.text());
  }

  /** A VXLAN UDP payload: the 8-byte header and an inner frame. */
  static byte[] vxlan(int flags, int vni, byte[] inner) {
    byte[] b = new byte[8 + inner.length];
    b[0] = (byte) flags;
    b[4] = (byte) (vni >> 16);
    b[5] = (byte) (vni >> 8);
    b[6] = (byte) vni;
    System.arraycopy(inner, 0, b, 8, inner.length);
    return b;
  }

  /** The golden echo request's outer Ethernet / IPv4 / UDP headers around another payload, lengths and checksum fixed. */
  static byte[] udpFrame(byte[] payload) {
    byte[] b = Arrays.copyOf(ECHO_REQUEST, 42 + payload.length);
    System.arraycopy(payload, 0, b, 42, payload.length);
    int ipLength = 20 + 8 + payload.length;
    b[16] = (byte) (ipLength >> 8);
    b[17] = (byte) ipLength;
    b[24] = 0;
    b[25] = 0;
    int sum = 0;
    for (int i = 14; i < 34; i += 2) {
      sum += (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
    }
    sum = (sum & 0xFFFF) + (sum >> 16);
    sum = ~((sum & 0xFFFF) + (sum >> 16)) & 0xFFFF;
    b[24] = (byte) (sum >> 8);
    b[25] = (byte) sum;
    int udpLength = 8 + payload.length;
    b[38] = (byte) (udpLength >> 8);
    b[39] = (byte) udpLength;
    b[40] = 0; // UDP checksum: none
    b[41] = 0;
    return b;
  }
}
