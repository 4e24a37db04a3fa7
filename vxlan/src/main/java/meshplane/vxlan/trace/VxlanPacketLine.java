package meshplane.vxlan.trace;

import meshplane.vxlan.VxlanHeader;
import java.net.InetAddress;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.OptionalInt;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.UdpPacket;

/**
 * One captured VXLAN packet as one line of text: the capture time, the outer UDP endpoints, the
 * VNI, the inner frame ({@link InnerFrame}) and the lengths (the outer frame on the wire, and
 * the inner Ethernet frame):
 *
 * <pre>
 * 09:41:07.123456 198.18.0.1:45231 -> 198.18.0.2:4789 vni 42, 02:00:0a:2a:00:01 -> 02:00:0a:2a:00:02 IPv4, ICMP 10.42.0.1 -> 10.42.0.2 echo request id 7 seq 1, length 148 (inner 98)
 * 09:41:07.200000 198.18.0.1:45231 -> 198.18.0.2:4789 malformed VXLAN: 5 bytes of UDP payload, a VXLAN header needs 8, length 47
 * </pre>
 *
 * Pure: bytes in, a line out, no capture and no root. The outer Ethernet / IP / UDP headers are
 * decoded with pcap4j, the VXLAN header by {@link VxlanHeader}, the inner frame with pcap4j's
 * {@code EthernetPacket.newPacket}. Anything that does not decode gives a line saying so.
 *
 * @param vni the VNI, when the VXLAN header is there and its I flag is set
 * @param malformed whether some part of the packet did not decode
 * @param text the line
 */
public record VxlanPacketLine(OptionalInt vni, boolean malformed, String text) {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");
  private static final int UDP_HEADER = 8;

  /**
   * Describes a captured Ethernet frame that carries (or should carry) a VXLAN packet.
   *
   * @param time when it was captured, printed as {@code HH:mm:ss.micros}
   * @param frame the captured bytes, from the outer Ethernet header on
   * @param wireLength the frame's length on the wire (more than {@code frame.length} if the
   *     capture cut it short)
   */
  public static VxlanPacketLine of(LocalTime time, byte[] frame, int wireLength) {
    String prefix = TIME.format(time) + " ";
    String length = lengths(wireLength, frame.length, -1);
    try {
      return decode(prefix, frame, length, wireLength);
    } catch (RuntimeException e) {
      // pcap4j is lenient, but a capture must never die on a strange packet.
      return malformed(prefix + "undecodable frame (" + frame.length + " bytes): " + e + length);
    }
  }

  private static VxlanPacketLine decode(String prefix, byte[] frame, String length, int wireLength) {
    if (frame.length >= InnerFrame.ETHERNET_HEADER && (frame[12] & 0xFF) == 0x08 && frame[13] == 0) {
      String badIpv4 = InnerFrame.ipv4HeaderProblem(frame, InnerFrame.ETHERNET_HEADER, frame.length - InnerFrame.ETHERNET_HEADER);
      if (badIpv4 != null) {
        return malformed(prefix + "malformed frame: outer IPv4 " + badIpv4 + length);
      }
    }
    Packet outer;
    try {
      outer = EthernetPacket.newPacket(frame, 0, frame.length);
    } catch (IllegalRawDataException e) {
      return malformed(prefix + "malformed frame: " + frame.length + " bytes, an Ethernet header needs "
          + InnerFrame.ETHERNET_HEADER + length);
    }
    InetAddress src;
    InetAddress dst;
    IpV4Packet v4 = outer.get(IpV4Packet.class);
    IpV6Packet v6 = outer.get(IpV6Packet.class);
    if (v4 != null) {
      src = v4.getHeader().getSrcAddr();
      dst = v4.getHeader().getDstAddr();
    } else if (v6 != null) {
      src = v6.getHeader().getSrcAddr();
      dst = v6.getHeader().getDstAddr();
    } else {
      return malformed(prefix + "malformed frame: no IPv4 or IPv6 header (" + frame.length + " bytes)" + length);
    }
    UdpPacket udp = outer.get(UdpPacket.class);
    if (udp == null) {
      return malformed(prefix + InnerFrame.address(src) + " -> " + InnerFrame.address(dst)
          + " malformed frame: no UDP header" + length);
    }
    UdpPacket.UdpHeader u = udp.getHeader();
    String endpoints = prefix + InnerFrame.hostPort(src, u.getSrcPort().valueAsInt()) + " -> "
        + InnerFrame.hostPort(dst, u.getDstPort().valueAsInt());
    byte[] payload = udp.getPayload() == null ? new byte[0] : udp.getPayload().getRawData();
    VxlanHeader vxlan;
    try {
      vxlan = VxlanHeader.read(payload, 0, payload.length);
    } catch (IllegalArgumentException e) {
      return malformed(endpoints + " malformed VXLAN: " + e.getMessage() + length);
    }
    if (!vxlan.vniValid()) {
      return malformed(endpoints + String.format(" malformed VXLAN: flags 0x%02x, the I flag (0x%02x) is not set",
          vxlan.flags(), VxlanHeader.FLAG_VNI_VALID) + length);
    }
    String flags = vxlan.flags() == VxlanHeader.FLAG_VNI_VALID ? "" : String.format(" flags 0x%02x", vxlan.flags());
    InnerFrame inner = InnerFrame.describe(payload, VxlanHeader.LENGTH, payload.length - VxlanHeader.LENGTH);
    // The inner length from the UDP length field stays right when the capture was cut short.
    int innerLength = Math.max(0, u.getLengthAsInt() - UDP_HEADER - VxlanHeader.LENGTH);
    return new VxlanPacketLine(OptionalInt.of(vxlan.vni()), inner.malformed(),
        endpoints + " vni " + vxlan.vni() + flags + ", " + inner.text() + lengths(wireLength, frame.length, innerLength));
  }

  /** {@code , length 148 (inner 98)}; {@code (captured N, ...)} when the capture cut the frame short. */
  private static String lengths(int wireLength, int captured, int innerLength) {
    StringBuilder notes = new StringBuilder();
    if (captured < wireLength) {
      notes.append("captured ").append(captured);
    }
    if (innerLength >= 0) {
      notes.append(notes.length() > 0 ? ", " : "").append("inner ").append(innerLength);
    }
    return ", length " + wireLength + (notes.length() > 0 ? " (" + notes + ")" : "");
  }

  private static VxlanPacketLine malformed(String text) {
    return new VxlanPacketLine(OptionalInt.empty(), true, text);
  }
}
