package meshplane.nft;

/** The {@code enum nft_ct_keys} meshplane uses. */
public enum CtKey {
  STATE(0), DIRECTION(1), STATUS(2), MARK(3), SECMARK(4), EXPIRATION(5), HELPER(6),
  L3PROTOCOL(7), SRC(8), DST(9), PROTOCOL(10), PROTO_SRC(11), PROTO_DST(12);

  private final int code;

  CtKey(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static CtKey of(int code) {
    for (CtKey k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException("unsupported ct key " + code);
  }
}
