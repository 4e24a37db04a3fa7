package meshplane.testkit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * VXLAN datagrams (RFC 7348) built byte by byte, as an attacker on the underlay would send them
 * to a node's port 4789: a well-formed one for a real VNI carrying an Ethernet frame with an
 * IPv4/UDP datagram to an endpoint, and malformed ones. Built here by hand, not by meshplane's
 * codec, so a test does not check meshplane against itself.
 */
public final class VxlanDatagrams {
  private static final int VXLAN_HEADER = 8;
  private static final int ETHERNET_HEADER = 14;
  private static final int IPV4_HEADER = 20;
  private static final int UDP_HEADER = 8;

  private VxlanDatagrams() {}

  /** The 8-byte header: the I flag (0x08) and {@code vni}. */
  public static byte[] header(int vni) {
    return ByteBuffer.allocate(VXLAN_HEADER).put((byte) 0x08).put(new byte[3]).putInt(vni << 8).array();
  }

  /**
   * A datagram for {@code vni} whose inner frame goes from {@code srcMac} to {@code dstMac} and
   * carries UDP {@code srcIp:40000 -> dstIp:dstPort} with {@code payload}; the IPv4 checksum is
   * right, the UDP checksum 0 (none, allowed over IPv4), so the endpoint's kernel takes it.
   */
  public static byte[] udpFrame(int vni, String dstMac, String srcMac, String srcIp, String dstIp, int dstPort, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(VXLAN_HEADER + ETHERNET_HEADER + IPV4_HEADER + UDP_HEADER + payload.length);
    b.put(header(vni)).put(mac(dstMac)).put(mac(srcMac)).putShort((short) 0x0800);
    int ip = b.position();
    b.put((byte) 0x45).put((byte) 0).putShort((short) (IPV4_HEADER + UDP_HEADER + payload.length))
        .putShort((short) 0x4d50).putShort((short) 0x4000).put((byte) 64).put((byte) 17).putShort((short) 0)
        .put(ipv4(srcIp)).put(ipv4(dstIp));
    b.putShort(ip + 10, checksum(b.array(), ip, IPV4_HEADER));
    b.putShort((short) 40000).putShort((short) dstPort).putShort((short) (UDP_HEADER + payload.length)).putShort((short) 0)
        .put(payload);
    return b.array();
  }

  /**
   * Malformed datagrams around a good one {@code good} (a header for a carried VNI and a frame):
   * 4 bytes (shorter than a header), a header alone (no frame), the frame without the I flag,
   * and the frame under VNI {@code unknownVni}.
   */
  public static List<byte[]> malformed(byte[] good, int unknownVni) {
    byte[] noFlag = good.clone();
    noFlag[0] = 0;
    byte[] foreign = good.clone();
    System.arraycopy(header(unknownVni), 0, foreign, 0, VXLAN_HEADER);
    return List.of(new byte[] {0x08, 0, 0, 0}, header(vniOf(good)), noFlag, foreign);
  }

  /** The VNI in a datagram's header. */
  public static int vniOf(byte[] datagram) {
    return ByteBuffer.wrap(datagram, 4, 4).getInt() >>> 8;
  }

  private static short checksum(byte[] data, int offset, int length) {
    int sum = 0;
    for (int i = offset; i < offset + length; i += 2) {
      sum += ((data[i] & 0xff) << 8) | (data[i + 1] & 0xff);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (short) ~sum;
  }

  private static byte[] mac(String mac) {
    String[] p = mac.split(":");
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) Integer.parseInt(p[i], 16);
    }
    return b;
  }

  private static byte[] ipv4(String address) {
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv4 literal: " + address, e);
    }
  }
}
