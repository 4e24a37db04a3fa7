package meshplane.nft;

/** {@code enum nft_nat_types}. */
public enum NatType {
  SNAT(0), DNAT(1);

  private final int code;

  NatType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static NatType of(int code) {
    return code == 0 ? SNAT : DNAT;
  }
}
