package meshplane.nft;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Bytes as nf_tables carries them (NFTA_DATA_VALUE): a comparison operand, a set key, a map
 * value. Immutable with value equality, so rules and set elements compare by content.
 */
public final class Datum {
  private final byte[] bytes;

  private Datum(byte[] bytes) {
    this.bytes = bytes;
  }

  public static Datum of(byte... bytes) {
    return new Datum(bytes.clone());
  }

  /** A 32-bit value in network byte order (an IPv4 address, a port padded by the caller). */
  public static Datum be32(int value) {
    return new Datum(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
  }

  /** A 16-bit value in network byte order (a port). */
  public static Datum be16(int value) {
    return new Datum(new byte[] {(byte) (value >>> 8), (byte) value});
  }

  /** A 32-bit value in host (little-endian) byte order: marks, meta values, numgen results. */
  public static Datum host32(int value) {
    return new Datum(new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
  }

  /** One byte (an L4 protocol number). */
  public static Datum u8(int value) {
    return new Datum(new byte[] {(byte) value});
  }

  /** An IPv4 address from its dotted literal. */
  public static Datum ipv4(String literal) {
    byte[] b = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c >= '0' && c <= '9' && digits < 3) {
        value = value * 10 + (c - '0');
        digits++;
      } else if (c == '.' && digits > 0 && part < 3 && value <= 255) {
        b[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        throw new IllegalArgumentException("not an IPv4 address: " + literal);
      }
    }
    if (part != 3 || digits == 0 || value > 255) {
      throw new IllegalArgumentException("not an IPv4 address: " + literal);
    }
    b[3] = (byte) value;
    return new Datum(b);
  }

  /**
   * The concatenation of {@code parts}, each padded to a multiple of 4 bytes as nf_tables lays
   * out concatenated set keys in registers ({@code ip daddr . tcp dport}).
   */
  public static Datum concat(Datum... parts) {
    int len = 0;
    for (Datum d : parts) {
      len += (d.bytes.length + 3) & ~3;
    }
    byte[] b = new byte[len];
    int off = 0;
    for (Datum d : parts) {
      System.arraycopy(d.bytes, 0, b, off, d.bytes.length);
      off += (d.bytes.length + 3) & ~3;
    }
    return new Datum(b);
  }

  /** The 32-bit host-order value at byte {@code offset} (a mark, a numgen index, in a key or a concatenation). */
  public int host32At(int offset) {
    return (bytes[offset] & 0xff) | ((bytes[offset + 1] & 0xff) << 8) | ((bytes[offset + 2] & 0xff) << 16)
        | ((bytes[offset + 3] & 0xff) << 24);
  }

  /** The 16-bit network-order value at byte {@code offset} (a port). */
  public int be16At(int offset) {
    return ((bytes[offset] & 0xff) << 8) | (bytes[offset + 1] & 0xff);
  }

  /** The IPv4 address at byte {@code offset}, dotted. */
  public String ipv4At(int offset) {
    return (bytes[offset] & 0xff) + "." + (bytes[offset + 1] & 0xff) + "." + (bytes[offset + 2] & 0xff) + "."
        + (bytes[offset + 3] & 0xff);
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Datum d && Arrays.equals(bytes, d.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "0x" + HexFormat.of().formatHex(bytes);
  }
}
