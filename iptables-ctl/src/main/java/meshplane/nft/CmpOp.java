package meshplane.nft;

/** {@code enum nft_cmp_ops}. */
public enum CmpOp {
  EQ(0), NEQ(1), LT(2), LTE(3), GT(4), GTE(5);

  private final int code;

  CmpOp(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static CmpOp of(int code) {
    for (CmpOp o : values()) {
      if (o.code == code) {
        return o;
      }
    }
    throw new IllegalArgumentException("unknown cmp op " + code);
  }
}
