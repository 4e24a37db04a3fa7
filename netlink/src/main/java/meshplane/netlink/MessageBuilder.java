package meshplane.netlink;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message: the header, the family's fixed header (ifinfomsg, rtmsg, ...)
 * written field by field, then attributes, nested where needed, each padded to 4 bytes.
 * Integers are host order (little endian here) unless the method name says {@code Be}.
 * The sequence number and port id are filled in by the socket when the message is sent.
 */
public final class MessageBuilder {
  private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
  private final int type;
  private int flags;

  public MessageBuilder(int type, int flags) {
    this.type = type;
    this.flags = flags;
    buf.position(Nlmsg.HDRLEN);
  }

  public int type() {
    return type;
  }

  public int flags() {
    return flags;
  }

  public MessageBuilder addFlags(int extra) {
    this.flags |= extra;
    return this;
  }

  private void ensure(int more) {
    if (buf.remaining() < more + 4) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more + 64))
          .order(ByteOrder.nativeOrder());
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
  }

  // ---- fixed header fields ----

  public MessageBuilder u8(int v) {
    ensure(1);
    buf.put((byte) v);
    return this;
  }

  public MessageBuilder u16(int v) {
    ensure(2);
    buf.putShort((short) v);
    return this;
  }

  public MessageBuilder u32(int v) {
    ensure(4);
    buf.putInt(v);
    return this;
  }

  public MessageBuilder bytes(byte[] v) {
    ensure(v.length);
    buf.put(v);
    return this;
  }

  /** Zero bytes up to the next 4-byte boundary. */
  public MessageBuilder pad() {
    int p = Nlmsg.align(buf.position()) - buf.position();
    ensure(p);
    for (int i = 0; i < p; i++) {
      buf.put((byte) 0);
    }
    return this;
  }

  // ---- attributes ----

  public MessageBuilder attr(int attrType, byte[] value) {
    int len = Nlmsg.NLA_HDRLEN + value.length;
    ensure(Nlmsg.align(len));
    buf.putShort((short) len);
    buf.putShort((short) attrType);
    buf.put(value);
    return pad();
  }

  /** An attribute with no payload (a flag). */
  public MessageBuilder attrFlag(int attrType) {
    return attr(attrType, new byte[0]);
  }

  public MessageBuilder attrU8(int attrType, int v) {
    return attr(attrType, new byte[] {(byte) v});
  }

  public MessageBuilder attrU16(int attrType, int v) {
    return attr(attrType, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) v).array());
  }

  public MessageBuilder attrU32(int attrType, int v) {
    return attr(attrType, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
  }

  public MessageBuilder attrU64(int attrType, long v) {
    return attr(attrType, ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array());
  }

  /** A 16-bit value in network byte order (ports, for instance). */
  public MessageBuilder attrBe16(int attrType, int v) {
    return attr(attrType, new byte[] {(byte) (v >>> 8), (byte) v});
  }

  /** A 32-bit value in network byte order. */
  public MessageBuilder attrBe32(int attrType, int v) {
    return attr(attrType, ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(v).array());
  }

  /** A NUL-terminated string. */
  public MessageBuilder attrString(int attrType, String v) {
    byte[] s = v.getBytes(StandardCharsets.UTF_8);
    return attr(attrType, Arrays.copyOf(s, s.length + 1));
  }

  /** An IPv4 or IPv6 address in network byte order (4 or 16 bytes). */
  public MessageBuilder attrAddress(int attrType, InetAddress address) {
    return attr(attrType, address.getAddress());
  }

  /**
   * Opens a nested attribute and returns its start, to be passed to {@link #endNested}. The
   * NLA_F_NESTED flag is set as the kernel's strict validation expects.
   */
  public int beginNested(int attrType) {
    return beginNested(attrType, true);
  }

  /** As {@link #beginNested(int)}; some old attributes (IFLA_LINKINFO) are sent without the flag. */
  public int beginNested(int attrType, boolean nestedFlag) {
    ensure(Nlmsg.NLA_HDRLEN);
    int start = buf.position();
    buf.putShort((short) 0);
    buf.putShort((short) (attrType | (nestedFlag ? Nlmsg.NLA_F_NESTED : 0)));
    return start;
  }

  public MessageBuilder endNested(int start) {
    buf.putShort(start, (short) (buf.position() - start));
    return this;
  }

  /** Current length of the message, header included. */
  public int length() {
    return buf.position();
  }

  /** The finished message with the given sequence number and port id. */
  public byte[] build(int seq, int portId) {
    ByteBuffer out = buf.duplicate().order(ByteOrder.nativeOrder());
    int len = buf.position();
    out.putInt(0, len);
    out.putShort(4, (short) type);
    out.putShort(6, (short) flags);
    out.putInt(8, seq);
    out.putInt(12, portId);
    return Arrays.copyOf(out.array(), len);
  }
}
