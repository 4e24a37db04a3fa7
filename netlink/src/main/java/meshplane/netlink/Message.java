package meshplane.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One received netlink message: header fields and a read-only view of the payload (the family
 * header followed by attributes). {@link #split} cuts a datagram into its messages.
 */
public record Message(int type, int flags, int seq, int portId, ByteBuffer payload) {

  /** Splits a received datagram into messages; a truncated message is an error. */
  public static List<Message> split(ByteBuffer datagram) {
    ByteBuffer b = datagram.slice().order(ByteOrder.nativeOrder());
    List<Message> out = new ArrayList<>();
    int pos = 0;
    while (pos + Nlmsg.HDRLEN <= b.limit()) {
      int len = b.getInt(pos);
      if (len < Nlmsg.HDRLEN || pos + len > b.limit()) {
        throw new IllegalStateException("truncated netlink message at offset " + pos
            + ": length " + len + ", " + (b.limit() - pos) + " bytes left");
      }
      ByteBuffer payload = b.duplicate();
      payload.position(pos + Nlmsg.HDRLEN).limit(pos + len);
      out.add(new Message(b.getShort(pos + 4) & 0xffff, b.getShort(pos + 6) & 0xffff,
          b.getInt(pos + 8), b.getInt(pos + 12),
          payload.slice().asReadOnlyBuffer().order(ByteOrder.nativeOrder())));
      pos += Nlmsg.align(len);
    }
    return out;
  }

  /** A fresh view of the payload, little endian, positioned at 0. */
  public ByteBuffer body() {
    return payload.duplicate().order(ByteOrder.nativeOrder());
  }

  /** The attributes that follow a fixed family header of {@code headerLength} bytes. */
  public Attributes attributes(int headerLength) {
    ByteBuffer b = body();
    b.position(Math.min(Nlmsg.align(headerLength), b.limit()));
    return Attributes.parse(b);
  }

  public boolean hasFlag(int flag) {
    return (flags & flag) == flag;
  }
}
