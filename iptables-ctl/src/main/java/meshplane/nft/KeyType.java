package meshplane.nft;

import java.util.List;

/**
 * A set's key or data type as nft declares it (NFTA_SET_KEY_TYPE / NFTA_SET_DATA_TYPE, the
 * datatype ids of nftables' {@code enum datatypes}) with its length in bytes. A concatenation's
 * id packs its parts 6 bits each and its length pads each part to 4 bytes.
 */
public record KeyType(int id, int length) {
  public static final KeyType VERDICT = new KeyType(0xffffff00, 16);
  public static final KeyType INTEGER = new KeyType(4, 4);
  public static final KeyType MARK = new KeyType(19, 4);
  public static final KeyType IPV4_ADDR = new KeyType(7, 4);
  public static final KeyType INET_PROTO = new KeyType(12, 1);
  public static final KeyType INET_SERVICE = new KeyType(13, 2);

  /** A concatenated type, e.g. {@code inet_proto . inet_service}. */
  public static KeyType concat(List<KeyType> parts) {
    int id = 0;
    int len = 0;
    for (KeyType p : parts) {
      id = (id << 6) | p.id;
      len += (p.length + 3) & ~3;
    }
    return new KeyType(id, len);
  }
}
