package meshplane.nft;

import java.util.List;

/**
 * A named set or map of meshplane's table. {@code data} is null for a plain set,
 * {@link KeyType#VERDICT} for a verdict map, else the map's value type. Flags are NFT_SET_*;
 * the map flag is implied by {@code data}. Elements are part of the desired state: a diff adds
 * and removes single elements, never rebuilds the set.
 */
public record SetSpec(String name, KeyType key, KeyType data, int flags, List<SetElement> elements) {
  public static final int NFT_SET_CONSTANT = 0x2;
  public static final int NFT_SET_INTERVAL = 0x4;
  public static final int NFT_SET_MAP = 0x8;
  public static final int NFT_SET_TIMEOUT = 0x10;
  public static final int NFT_SET_CONCAT = 0x80;

  public SetSpec {
    elements = List.copyOf(elements);
  }

  public boolean isMap() {
    return data != null;
  }
}
