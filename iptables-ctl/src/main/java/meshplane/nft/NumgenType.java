package meshplane.nft;

/** {@code enum nft_ng_types}: incrementing (round robin) or random. */
public enum NumgenType {
  INCREMENTAL(0), RANDOM(1);

  private final int code;

  NumgenType(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static NumgenType of(int code) {
    return code == 0 ? INCREMENTAL : RANDOM;
  }
}
