package meshplane.vxlan.userspace;

import io.netty.buffer.ByteBuf;

/**
 * The 8-byte VXLAN header of RFC 7348, section 5:
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The I flag (0x08) says the VNI is valid and must be set; the reserved bits are sent as zero
 * and ignored on receipt. The inner Ethernet frame (no FCS) follows.
 */
final class VxlanHeader {
  /** Header length in bytes. */
  static final int LENGTH = 8;
  /** The I flag in the first byte. */
  static final int FLAG_I = 0x08;
  /** An Ethernet header: destination MAC, source MAC, ethertype. */
  static final int ETHERNET_HEADER = 14;
  /** The shortest datagram worth decapsulating: a header and an Ethernet header. */
  static final int MIN_DATAGRAM = LENGTH + ETHERNET_HEADER;
  /** Largest VNI (24 bits). */
  static final int MAX_VNI = 0xffffff;

  private VxlanHeader() {}

  /** Writes the header for {@code vni} at {@code index} of {@code buf}, without moving its indexes. */
  static void set(ByteBuf buf, int index, int vni) {
    buf.setInt(index, FLAG_I << 24);
    buf.setInt(index + 4, vni << 8);
  }

  /** Whether the header at {@code index} has the I flag. */
  static boolean hasVni(ByteBuf buf, int index) {
    return (buf.getByte(index) & FLAG_I) != 0;
  }

  /** The VNI of the header at {@code index}. */
  static int vni(ByteBuf buf, int index) {
    return buf.getUnsignedMedium(index + 4);
  }
}
