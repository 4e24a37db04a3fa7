package meshplane.netlink;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One received attribute: its type (flags masked off) and a read-only view of its payload.
 * Accessors check the payload length, so a short attribute fails loudly instead of reading
 * its neighbour's bytes.
 */
public record Attribute(int type, boolean nested, ByteBuffer value) {

  public int length() {
    return value.remaining();
  }

  private ByteBuffer need(int n) {
    if (value.remaining() < n) {
      throw new IllegalStateException(
          "attribute " + type + " has " + value.remaining() + " bytes, needs " + n);
    }
    return value.duplicate().order(ByteOrder.nativeOrder());
  }

  public int u8() {
    return need(1).get() & 0xff;
  }

  public int u16() {
    return need(2).getShort() & 0xffff;
  }

  public int u32() {
    return need(4).getInt();
  }

  public long u64() {
    return need(8).getLong();
  }

  public int be16() {
    return need(2).order(ByteOrder.BIG_ENDIAN).getShort() & 0xffff;
  }

  public int be32() {
    return need(4).order(ByteOrder.BIG_ENDIAN).getInt();
  }

  public byte[] bytes() {
    byte[] b = new byte[value.remaining()];
    value.duplicate().get(b);
    return b;
  }

  /** A string, without its trailing NUL if there is one. */
  public String string() {
    byte[] b = bytes();
    int n = b.length;
    while (n > 0 && b[n - 1] == 0) {
      n--;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  public InetAddress address() {
    try {
      return InetAddress.getByAddress(bytes());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("attribute " + type + " is not an address: " + length() + " bytes", e);
    }
  }

  /** The attributes nested inside this one. */
  public Attributes nestedAttributes() {
    return Attributes.parse(value.duplicate());
  }
}
