package meshplane.nft;

/** {@code enum nft_payload_bases}: which header a payload offset counts from. */
public enum PayloadBase {
  LINK(0), NETWORK(1), TRANSPORT(2);

  private final int code;

  PayloadBase(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static PayloadBase of(int code) {
    for (PayloadBase b : values()) {
      if (b.code == code) {
        return b;
      }
    }
    throw new IllegalArgumentException("unknown payload base " + code);
  }
}
