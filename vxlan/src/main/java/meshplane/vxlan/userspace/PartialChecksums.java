package meshplane.vxlan.userspace;

import io.netty.buffer.ByteBuf;

/**
 * Finishes inner TCP and UDP checksums a sender's kernel left for hardware that never ran.
 *
 * <p>A kernel VTEP sends with checksum offload: the inner segment leaves with
 * {@code CHECKSUM_PARTIAL}, its checksum field holding only the folded pseudo-header sum, for the
 * NIC to finish. A physical NIC does; a veth underlay (the test bed's, the lab's) passes the skb
 * as it is to the receiving namespace, where a kernel VTEP keeps the "partial" mark through
 * decapsulation but a UDP socket loses it: the frame reaches userspace with the checksum
 * unfinished, and the endpoint behind the TAP drops it ({@code TcpInCsumErrors}).
 *
 * <p>So, for an unfragmented IPv4 TCP or UDP packet whose checksum field equals its pseudo-header
 * sum (the mark of a partial checksum), the checksum is computed and written. A packet whose
 * checksum was complete and happens to have that value gets the same value back; only a packet
 * corrupted on the wire whose checksum field also happens to equal its pseudo-header sum (1 in
 * 65536 of corrupted packets) would be "repaired". Every other packet is left alone and checked
 * by the endpoint as usual. The frame is changed in place.
 */
final class PartialChecksums {
  private static final int ETHERTYPE_IPV4 = 0x0800;
  private static final int TCP = 6;
  private static final int UDP = 17;
  private static final int TCP_CHECK = 16;
  private static final int UDP_CHECK = 6;

  private PartialChecksums() {}

  /** Finishes the inner checksum of {@code frame} (readable bytes: an Ethernet frame) if partial; returns whether it did. */
  static boolean complete(ByteBuf frame) {
    int eth = frame.readerIndex();
    int length = frame.readableBytes();
    if (length < 14 + 20 || frame.getUnsignedShort(eth + 12) != ETHERTYPE_IPV4) {
      return false;
    }
    int ip = eth + 14;
    int versionIhl = frame.getUnsignedByte(ip);
    int headerLength = (versionIhl & 0x0f) * 4;
    int totalLength = frame.getUnsignedShort(ip + 2);
    int fragment = frame.getUnsignedShort(ip + 6) & 0x3fff; // MF flag and offset
    int protocol = frame.getUnsignedByte(ip + 9);
    if ((versionIhl >> 4) != 4 || headerLength < 20 || totalLength < headerLength || 14 + totalLength > length
        || fragment != 0 || (protocol != TCP && protocol != UDP)) {
      return false;
    }
    int l4 = ip + headerLength;
    int l4Length = totalLength - headerLength;
    int checkAt = l4 + (protocol == TCP ? TCP_CHECK : UDP_CHECK);
    if (l4Length < (protocol == TCP ? 20 : 8)) {
      return false;
    }
    long pseudo = (frame.getUnsignedInt(ip + 12) >>> 16) + (frame.getUnsignedInt(ip + 12) & 0xffff)
        + (frame.getUnsignedInt(ip + 16) >>> 16) + (frame.getUnsignedInt(ip + 16) & 0xffff)
        + protocol + l4Length;
    if (frame.getUnsignedShort(checkAt) != fold(pseudo)) {
      return false;
    }
    frame.setShort(checkAt, 0);
    int check = ~fold(pseudo + sum(frame, l4, l4Length)) & 0xffff;
    frame.setShort(checkAt, protocol == UDP && check == 0 ? 0xffff : check);
    return true;
  }

  /** The ones'-complement sum of {@code length} bytes at {@code index}, not yet folded. */
  static long sum(ByteBuf buf, int index, int length) {
    long sum = 0;
    int i = index;
    int end = index + length;
    for (; i + 8 <= end; i += 8) {
      long w = buf.getLong(i);
      sum += (w >>> 48) + ((w >>> 32) & 0xffff) + ((w >>> 16) & 0xffff) + (w & 0xffff);
    }
    for (; i + 2 <= end; i += 2) {
      sum += buf.getUnsignedShort(i);
    }
    if (i < end) {
      sum += buf.getUnsignedByte(i) << 8;
    }
    return sum;
  }

  /** Folds a sum to 16 bits, carries added back in. */
  static int fold(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) sum;
  }
}
