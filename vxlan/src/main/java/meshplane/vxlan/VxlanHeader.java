package meshplane.vxlan;

import io.netty.buffer.ByteBuf;

/**
 * The VXLAN header at the start of a VXLAN UDP payload (RFC 7348, section 5), 8 bytes, followed
 * by the inner Ethernet frame (no FCS):
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |R|R|R|R|I|R|R|R|            Reserved                           |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *  |                VXLAN Network Identifier (VNI) |   Reserved    |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The I flag (0x08) says the VNI is valid; a receiver (Linux's vxlan driver too) drops a packet
 * without it. Reserved bits are sent as zero and ignored on receipt; other flag bits are
 * extensions (GBP, GPE). The record is the decoded form (for tracing); the static methods read
 * and write the header in place in a Netty buffer (for the userspace VTEP's hot path).
 */
public record VxlanHeader(int flags, int vni) {
  /** Bytes of the header. */
  public static final int LENGTH = 8;
  /** The I flag: the VNI field is valid. */
  public static final int FLAG_VNI_VALID = 0x08;
  /** The largest VNI (24 bits). */
  public static final int MAX_VNI = 0xFF_FFFF;
  /** An Ethernet header: destination MAC, source MAC, ethertype. */
  public static final int ETHERNET_HEADER = 14;
  /** The shortest datagram worth decapsulating: a header and an Ethernet header. */
  public static final int MIN_DATAGRAM = LENGTH + ETHERNET_HEADER;

  public VxlanHeader {
    if (flags < 0 || flags > 0xFF) {
      throw new IllegalArgumentException("VXLAN flags " + flags + " must fit one byte");
    }
    if (vni < 0 || vni > MAX_VNI) {
      throw new IllegalArgumentException("VNI " + vni + " must be between 0 and " + MAX_VNI);
    }
  }

  /**
   * Reads the header from the first 8 of {@code length} bytes at {@code offset}.
   *
   * @throws IllegalArgumentException if fewer than 8 bytes are there
   */
  public static VxlanHeader read(byte[] data, int offset, int length) {
    if (length < LENGTH) {
      throw new IllegalArgumentException(length + " bytes of UDP payload, a VXLAN header needs " + LENGTH);
    }
    int flags = data[offset] & 0xFF;
    int vni = (data[offset + 4] & 0xFF) << 16 | (data[offset + 5] & 0xFF) << 8 | data[offset + 6] & 0xFF;
    return new VxlanHeader(flags, vni);
  }

  /** Whether the I flag is set, so the VNI means something. */
  public boolean vniValid() {
    return (flags & FLAG_VNI_VALID) != 0;
  }

  /** Writes the header for {@code vni} at {@code index} of {@code buf}, without moving its indexes. */
  public static void set(ByteBuf buf, int index, int vni) {
    buf.setInt(index, FLAG_VNI_VALID << 24);
    buf.setInt(index + 4, vni << 8);
  }

  /** Whether the header at {@code index} has the I flag. */
  public static boolean hasVni(ByteBuf buf, int index) {
    return (buf.getByte(index) & FLAG_VNI_VALID) != 0;
  }

  /** The VNI of the header at {@code index}. */
  public static int vni(ByteBuf buf, int index) {
    return buf.getUnsignedMedium(index + 4);
  }
}
