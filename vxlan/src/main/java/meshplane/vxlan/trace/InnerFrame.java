package meshplane.vxlan.trace;

import java.net.Inet6Address;
import java.net.InetAddress;
import org.pcap4j.packet.ArpPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV4EchoPacket;
import org.pcap4j.packet.IcmpV4EchoReplyPacket;
import org.pcap4j.packet.IcmpV6CommonPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.util.MacAddress;

/**
 * The Ethernet frame a VXLAN packet carries, as text: MACs, ethertype, and for IPv4 / IPv6 the
 * protocol, the addresses and the ports (TCP, UDP), the ICMP type, or the ARP operation:
 *
 * <pre>
 *   02:00:0a:2a:00:01 -> 02:00:0a:2a:00:02 IPv4, ICMP 10.42.0.1 -> 10.42.0.2 echo request id 7 seq 1
 *   02:00:0a:2a:00:01 -> ff:ff:ff:ff:ff:ff ARP, request who-has 10.42.0.2 tell 10.42.0.1
 * </pre>
 *
 * Decoded with pcap4j's static packet factory; a part that does not decode is named as
 * malformed in the text instead of failing.
 *
 * @param text the description
 * @param malformed whether some header of the frame did not decode
 */
public record InnerFrame(String text, boolean malformed) {
  /** Bytes of an Ethernet header (two MACs and the ethertype). */
  public static final int ETHERNET_HEADER = 14;

  /** Describes the {@code length} bytes at {@code offset} of {@code data} as an Ethernet frame. */
  public static InnerFrame describe(byte[] data, int offset, int length) {
    if (length < ETHERNET_HEADER) {
      return new InnerFrame("malformed inner frame: " + length + " bytes, an Ethernet header needs " + ETHERNET_HEADER, true);
    }
    int type = (data[offset + 12] & 0xFF) << 8 | data[offset + 13] & 0xFF;
    String head = mac(data, offset + 6) + " -> " + mac(data, offset) + " " + etherType(type);
    String badIpv4 = type == 0x0800 ? ipv4HeaderProblem(data, offset + ETHERNET_HEADER, length - ETHERNET_HEADER) : null;
    if (badIpv4 != null) {
      return new InnerFrame(head + ", malformed IPv4: " + badIpv4, true);
    }
    EthernetPacket eth;
    try {
      eth = EthernetPacket.newPacket(data, offset, length);
    } catch (IllegalRawDataException e) {
      return new InnerFrame("malformed inner frame: " + e.getMessage(), true);
    }
    return switch (type) {
      case 0x0800 -> ipv4(head, eth.get(IpV4Packet.class), length - ETHERNET_HEADER);
      case 0x86DD -> ipv6(head, eth.get(IpV6Packet.class), length - ETHERNET_HEADER);
      case 0x0806 -> arp(head, eth.get(ArpPacket.class), length - ETHERNET_HEADER);
      default -> new InnerFrame(head, false);
    };
  }

  private static InnerFrame ipv4(String head, IpV4Packet ip, int bytes) {
    if (ip == null) {
      return new InnerFrame(head + ", malformed IPv4 packet (" + bytes + " bytes)", true);
    }
    IpV4Packet.IpV4Header h = ip.getHeader();
    int protocol = h.getProtocol().value() & 0xFF;
    String src = h.getSrcAddr().getHostAddress();
    String dst = h.getDstAddr().getHostAddress();
    if (h.getFragmentOffset() != 0) {
      return new InnerFrame(head + ", " + protocolName(protocol, false) + " " + src + " -> " + dst
          + " fragment at offset " + h.getFragmentOffset() * 8, false);
    }
    if (protocol == 1) {
      IcmpV4CommonPacket icmp = ip.get(IcmpV4CommonPacket.class);
      if (icmp == null) {
        return new InnerFrame(head + ", ICMP " + src + " -> " + dst + " malformed ICMP header", true);
      }
      return new InnerFrame(head + ", ICMP " + src + " -> " + dst + " " + icmpV4(icmp), false);
    }
    return transport(head, ip, protocol, h.getSrcAddr(), h.getDstAddr(), false);
  }

  private static InnerFrame ipv6(String head, IpV6Packet ip, int bytes) {
    if (ip == null) {
      return new InnerFrame(head + ", malformed IPv6 packet (" + bytes + " bytes)", true);
    }
    IpV6Packet.IpV6Header h = ip.getHeader();
    int next = h.getNextHeader().value() & 0xFF;
    if (next == 58) {
      IcmpV6CommonPacket icmp = ip.get(IcmpV6CommonPacket.class);
      String addrs = " " + address(h.getSrcAddr()) + " -> " + address(h.getDstAddr());
      if (icmp == null) {
        return new InnerFrame(head + ", ICMPv6" + addrs + " malformed ICMPv6 header", true);
      }
      return new InnerFrame(head + ", ICMPv6" + addrs + " type " + (icmp.getHeader().getType().value() & 0xFF)
          + " code " + (icmp.getHeader().getCode().value() & 0xFF), false);
    }
    return transport(head, ip, next, h.getSrcAddr(), h.getDstAddr(), true);
  }

  /** TCP and UDP with ports, anything else by protocol number. */
  private static InnerFrame transport(String head, Packet ip, int protocol, InetAddress src, InetAddress dst, boolean v6) {
    String name = protocolName(protocol, v6);
    if (protocol == 6) {
      TcpPacket tcp = ip.get(TcpPacket.class);
      if (tcp == null) {
        return new InnerFrame(head + ", TCP " + address(src) + " -> " + address(dst) + " malformed TCP header", true);
      }
      TcpPacket.TcpHeader t = tcp.getHeader();
      String text = "TCP " + hostPort(src, t.getSrcPort().valueAsInt()) + " -> " + hostPort(dst, t.getDstPort().valueAsInt())
          + " flags [" + tcpFlags(t) + "] seq " + t.getSequenceNumberAsLong()
          + (t.getAck() ? " ack " + t.getAcknowledgmentNumberAsLong() : "");
      return new InnerFrame(head + ", " + text, false);
    }
    if (protocol == 17) {
      UdpPacket udp = ip.get(UdpPacket.class);
      if (udp == null) {
        return new InnerFrame(head + ", UDP " + address(src) + " -> " + address(dst) + " malformed UDP header", true);
      }
      UdpPacket.UdpHeader u = udp.getHeader();
      return new InnerFrame(head + ", UDP " + hostPort(src, u.getSrcPort().valueAsInt()) + " -> "
          + hostPort(dst, u.getDstPort().valueAsInt()), false);
    }
    return new InnerFrame(head + ", " + name + " " + address(src) + " -> " + address(dst), false);
  }

  private static InnerFrame arp(String head, ArpPacket arp, int bytes) {
    if (arp == null) {
      return new InnerFrame(head + ", malformed ARP packet (" + bytes + " bytes)", true);
    }
    ArpPacket.ArpHeader a = arp.getHeader();
    int op = a.getOperation().value() & 0xFFFF;
    String sender = a.getSrcProtocolAddr().getHostAddress();
    String target = a.getDstProtocolAddr().getHostAddress();
    String text = switch (op) {
      case 1 -> "request who-has " + target + " tell " + sender;
      case 2 -> "reply " + sender + " is-at " + mac(a.getSrcHardwareAddr());
      default -> "operation " + op + " " + sender + " -> " + target;
    };
    return new InnerFrame(head + ", " + text, false);
  }

  private static String icmpV4(IcmpV4CommonPacket icmp) {
    int type = icmp.getHeader().getType().value() & 0xFF;
    int code = icmp.getHeader().getCode().value() & 0xFF;
    return switch (type) {
      case 0 -> {
        IcmpV4EchoReplyPacket e = icmp.get(IcmpV4EchoReplyPacket.class);
        yield "echo reply" + (e == null ? "" : " id " + e.getHeader().getIdentifierAsInt() + " seq " + e.getHeader().getSequenceNumberAsInt());
      }
      case 8 -> {
        IcmpV4EchoPacket e = icmp.get(IcmpV4EchoPacket.class);
        yield "echo request" + (e == null ? "" : " id " + e.getHeader().getIdentifierAsInt() + " seq " + e.getHeader().getSequenceNumberAsInt());
      }
      case 3 -> "destination unreachable code " + code;
      case 5 -> "redirect code " + code;
      case 11 -> "time exceeded code " + code;
      default -> "type " + type + " code " + code;
    };
  }

  /** TCP flags in tcpdump's order and letters: S F R P, '.' for ACK, U E W. */
  private static String tcpFlags(TcpPacket.TcpHeader t) {
    StringBuilder sb = new StringBuilder();
    if (t.getSyn()) {
      sb.append('S');
    }
    if (t.getFin()) {
      sb.append('F');
    }
    if (t.getRst()) {
      sb.append('R');
    }
    if (t.getPsh()) {
      sb.append('P');
    }
    if (t.getAck()) {
      sb.append('.');
    }
    if (t.getUrg()) {
      sb.append('U');
    }
    return sb.toString();
  }

  /** The name tcpdump prints for an ethertype, or its number. */
  static String etherType(int type) {
    return switch (type) {
      case 0x0800 -> "IPv4";
      case 0x0806 -> "ARP";
      case 0x86DD -> "IPv6";
      case 0x8100 -> "802.1Q";
      default -> type < 0x0600 ? "802.3 length " + type : String.format("ethertype 0x%04x", type);
    };
  }

  private static String protocolName(int protocol, boolean v6) {
    return switch (protocol) {
      case 1 -> "ICMP";
      case 6 -> "TCP";
      case 17 -> "UDP";
      case 58 -> "ICMPv6";
      default -> (v6 ? "next-header " : "protocol ") + protocol;
    };
  }

  /** {@code 10.42.0.1:80}, or {@code [fd00::1]:80} for IPv6. */
  static String hostPort(InetAddress address, int port) {
    return (address instanceof Inet6Address ? "[" + address(address) + "]" : address(address)) + ":" + port;
  }

  /** An IP address as text; IPv6 with its longest run of zero groups shortened to "::". */
  static String address(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    String[] groups = address.getHostAddress().replaceFirst("%.*$", "").split(":");
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < groups.length; i++) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
    }
    if (bestStart < 0) {
      return String.join(":", groups);
    }
    String left = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
    String right = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return left + "::" + right;
  }

  /**
   * What is wrong with the IPv4 header at {@code offset}, or null when its version and header
   * length and its options' lengths make sense. Checked before pcap4j decodes it, as pcap4j logs
   * an error with a stack trace for such a header.
   */
  static String ipv4HeaderProblem(byte[] data, int offset, int length) {
    if (length < 20) {
      return null; // pcap4j refuses it quietly; the caller reports a malformed packet
    }
    int version = (data[offset] & 0xFF) >> 4;
    int ihl = data[offset] & 0x0F;
    if (version != 4) {
      return "version " + version;
    }
    if (ihl < 5) {
      return "header length " + ihl + " words, less than 5";
    }
    if (ihl * 4 > length) {
      return "header length " + ihl * 4 + " bytes, more than the " + length + " there";
    }
    // Options: 0 ends them, 1 is one byte, any other has a length byte counting type and length.
    int end = offset + ihl * 4;
    for (int i = offset + 20; i < end; ) {
      int option = data[i] & 0xFF;
      if (option == 0) {
        break;
      }
      if (option == 1) {
        i++;
        continue;
      }
      int optionLength = i + 1 < end ? data[i + 1] & 0xFF : 0;
      if (optionLength < 2 || i + optionLength > end) {
        return "option " + option + " has length " + optionLength + ", which does not fit the header";
      }
      i += optionLength;
    }
    return null;
  }

  static String mac(MacAddress mac) {
    return mac(mac.getAddress(), 0);
  }

  /** The 6 bytes at {@code offset} as {@code 02:00:0a:2a:00:01}. */
  static String mac(byte[] data, int offset) {
    StringBuilder sb = new StringBuilder(17);
    for (int i = offset; i < offset + 6; i++) {
      if (i > offset) {
        sb.append(':');
      }
      sb.append(Character.forDigit((data[i] >> 4) & 0xF, 16)).append(Character.forDigit(data[i] & 0xF, 16));
    }
    return sb.toString();
  }
}
