package meshplane.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The attributes of a message or of a nested attribute, in order. Unknown types are kept and
 * simply never asked for; a truncated or over-long attribute ends parsing with an error.
 */
public final class Attributes {
  private final List<Attribute> list;

  private Attributes(List<Attribute> list) {
    this.list = Collections.unmodifiableList(list);
  }

  /** Parses attributes from the buffer's position to its limit. */
  public static Attributes parse(ByteBuffer region) {
    ByteBuffer b = region.slice().order(ByteOrder.nativeOrder());
    List<Attribute> out = new ArrayList<>();
    int pos = 0;
    int end = b.limit();
    while (pos + Nlmsg.NLA_HDRLEN <= end) {
      int len = b.getShort(pos) & 0xffff;
      int rawType = b.getShort(pos + 2) & 0xffff;
      if (len < Nlmsg.NLA_HDRLEN || pos + len > end) {
        throw new IllegalStateException(
            "malformed attribute at offset " + pos + ": length " + len + ", " + (end - pos) + " bytes left");
      }
      ByteBuffer value = b.duplicate();
      value.position(pos + Nlmsg.NLA_HDRLEN).limit(pos + len);
      out.add(new Attribute(rawType & Nlmsg.NLA_TYPE_MASK, (rawType & Nlmsg.NLA_F_NESTED) != 0,
          value.slice().asReadOnlyBuffer().order(ByteOrder.nativeOrder())));
      pos += Nlmsg.align(len);
    }
    return new Attributes(out);
  }

  public List<Attribute> all() {
    return list;
  }

  /** The first attribute of this type. */
  public Optional<Attribute> get(int type) {
    for (Attribute a : list) {
      if (a.type() == type) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }

  /** Every attribute of this type, in order (for repeated attributes). */
  public List<Attribute> getAll(int type) {
    List<Attribute> out = new ArrayList<>();
    for (Attribute a : list) {
      if (a.type() == type) {
        out.add(a);
      }
    }
    return out;
  }

  public boolean has(int type) {
    return get(type).isPresent();
  }

  public Optional<String> string(int type) {
    return get(type).map(Attribute::string);
  }

  public Optional<Integer> u32(int type) {
    return get(type).map(Attribute::u32);
  }

  public Optional<Integer> u8(int type) {
    return get(type).map(Attribute::u8);
  }

  public Optional<Attributes> nested(int type) {
    return get(type).map(Attribute::nestedAttributes);
  }

  public int size() {
    return list.size();
  }
}
