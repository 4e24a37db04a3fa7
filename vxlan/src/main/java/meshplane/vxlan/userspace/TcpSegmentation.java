package meshplane.vxlan.userspace;

import io.netty.buffer.ByteBuf;

/**
 * Splits an inner IPv4 TCP frame longer than the network's MTU into segments that fit, as the
 * kernel's GSO ({@code tcp_gso_segment}) would have.
 *
 * <p>Why such frames arrive: a kernel VTEP sends a TSO super-segment (up to 64 KB) as one
 * GSO skb; a physical NIC would cut it into MTU-sized datagrams, but a veth underlay hands the
 * skb whole to the receiving namespace, and a UDP socket receives it as one datagram. The TAP has
 * no GSO metadata channel (no {@code IFF_VNET_HDR}), and the bridge would drop a frame larger
 * than its ports' MTU, so the VTEP segments it itself. Any split is valid TCP; the payload per
 * segment is the MTU less the IP and TCP headers, which is what the sender's MSS gives too.
 *
 * <p>Per segment, as the kernel does: headers copied (IP options and TCP options included), IP
 * total length and header checksum, IP id incremented per segment, TCP sequence number advanced,
 * CWR kept on the first segment only, FIN and PSH on the last only, TCP checksum computed in full
 * (the super-segment's was left partial for the NIC).
 */
final class TcpSegmentation {
  /** Receives each segment, a complete Ethernet frame in {@code buf}'s readable bytes. */
  @FunctionalInterface
  interface Sink {
    void accept(ByteBuf segment);
  }

  private static final int TCP = 6;
  private static final int CWR = 0x80;
  private static final int PSH = 0x08;
  private static final int FIN = 0x01;

  private TcpSegmentation() {}

  /**
   * Cuts {@code frame} (readable bytes: an Ethernet frame) into frames of at most
   * {@code 14 + mtu} bytes, built one at a time in {@code scratch} (cleared for each; it must hold
   * {@code 14 + mtu} bytes) and given to {@code sink}. Returns the number of segments, or 0 when
   * the frame is no IPv4 TCP segment that can be cut (fragment, bad lengths, headers too large
   * for the MTU), in which case nothing is given to the sink.
   */
  static int segment(ByteBuf frame, int mtu, ByteBuf scratch, Sink sink) {
    int eth = frame.readerIndex();
    int length = frame.readableBytes();
    if (length < 14 + 20 + 20 || frame.getUnsignedShort(eth + 12) != ArpProxy.ETHERTYPE_IPV4) {
      return 0;
    }
    int ip = eth + 14;
    int ipHeader = (frame.getUnsignedByte(ip) & 0x0f) * 4;
    int totalLength = frame.getUnsignedShort(ip + 2);
    if ((frame.getUnsignedByte(ip) >> 4) != 4 || ipHeader < 20 || frame.getUnsignedByte(ip + 9) != TCP
        || (frame.getUnsignedShort(ip + 6) & 0x3fff) != 0) {
      return 0;
    }
    int tcp = ip + ipHeader;
    int tcpHeader = length >= 14 + ipHeader + 13 ? (frame.getUnsignedByte(tcp + 12) >> 4) * 4 : 0;
    int headers = 14 + ipHeader + tcpHeader;
    int perSegment = mtu - ipHeader - tcpHeader;
    // A GSO datagram's IP total length is the super-segment's own (or 0 past 64 KB): trust the frame.
    int payload = length - headers;
    if (tcpHeader < 20 || perSegment <= 0 || payload <= 0 || (totalLength != 0 && 14 + totalLength != length)) {
      return 0;
    }
    int id = frame.getUnsignedShort(ip + 4);
    long seq = frame.getUnsignedInt(tcp + 4);
    int flags = frame.getUnsignedByte(tcp + 13);
    int count = (payload + perSegment - 1) / perSegment;
    for (int i = 0; i < count; i++) {
      int offset = i * perSegment;
      int chunk = Math.min(perSegment, payload - offset);
      scratch.clear();
      scratch.writeBytes(frame, eth, headers);
      scratch.writeBytes(frame, eth + headers + offset, chunk);
      int sip = 14;
      int stcp = 14 + ipHeader;
      scratch.setShort(sip + 2, ipHeader + tcpHeader + chunk);
      scratch.setShort(sip + 4, id + i);
      scratch.setShort(sip + 10, 0);
      scratch.setShort(sip + 10, ~PartialChecksums.fold(PartialChecksums.sum(scratch, sip, ipHeader)));
      scratch.setInt(stcp + 4, (int) (seq + offset));
      int f = flags;
      if (i > 0) {
        f &= ~CWR;
      }
      if (i < count - 1) {
        f &= ~(FIN | PSH);
      }
      scratch.setByte(stcp + 13, f);
      int tcpLength = tcpHeader + chunk;
      long pseudo = PartialChecksums.sum(scratch, sip + 12, 8) + TCP + tcpLength;
      scratch.setShort(stcp + 16, 0);
      scratch.setShort(stcp + 16, ~PartialChecksums.fold(pseudo + PartialChecksums.sum(scratch, stcp, tcpLength)));
      sink.accept(scratch);
    }
    return count;
  }
}
