package meshplane.nft;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The NFTA_SET_USERDATA nft attaches to a set and only nft reads: libnftnl udata TLVs (u8 type,
 * u8 length, value) of which meshplane writes the two byte-order hints, KEYBYTEORDER (0) and
 * DATABYTEORDER (1), each a host-order u32 of nftables' {@code enum byteorder} (0 invalid, 1
 * host, 2 big endian). Without them {@code nft list} prints marks and integers byte-swapped.
 * The kernel stores the blob and never interprets it; a read back ignores it.
 */
final class SetUserdata {
  private static final int KEY_BYTEORDER = 0;
  private static final int DATA_BYTEORDER = 1;
  private static final int HOST = 1;
  private static final int BIG = 2;

  private SetUserdata() {}

  static byte[] of(SetSpec set) {
    ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
    b.put((byte) KEY_BYTEORDER).put((byte) 4).putInt(byteOrder(set.key()));
    b.put((byte) DATA_BYTEORDER).put((byte) 4).putInt(set.data() == null ? 0 : byteOrder(set.data()));
    return b.array();
  }

  /** Integers and marks are host order; addresses, protocols and ports network order; others unknown (0). */
  private static int byteOrder(KeyType t) {
    if (t.equals(KeyType.INTEGER) || t.equals(KeyType.MARK)) {
      return HOST;
    }
    if (t.equals(KeyType.IPV4_ADDR) || t.equals(KeyType.INET_PROTO) || t.equals(KeyType.INET_SERVICE)) {
      return BIG;
    }
    return 0;
  }
}
