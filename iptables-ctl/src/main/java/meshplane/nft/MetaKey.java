package meshplane.nft;

/** The {@code enum nft_meta_keys} meshplane uses. */
public enum MetaKey {
  LEN(0), PROTOCOL(1), PRIORITY(2), MARK(3), IIF(4), OIF(5), IIFNAME(6), OIFNAME(7),
  IIFTYPE(8), OIFTYPE(9), SKUID(10), SKGID(11), NFTRACE(12), RTCLASSID(13), SECMARK(14),
  NFPROTO(15), L4PROTO(16);

  private final int code;

  MetaKey(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static MetaKey of(int code) {
    for (MetaKey k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new IllegalArgumentException("unsupported meta key " + code);
  }
}
