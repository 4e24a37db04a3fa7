package meshplane.nft;

/** The table families meshplane uses, with their NFPROTO_* codes. */
public enum NftFamily {
  INET(1, "inet"), IP(2, "ip"), IP6(10, "ip6");

  private final int code;
  private final String keyword;

  NftFamily(int code, String keyword) {
    this.code = code;
    this.keyword = keyword;
  }

  public int code() {
    return code;
  }

  /** As nft names it ({@code nft list table ip meshplane}). */
  public String keyword() {
    return keyword;
  }

  public static NftFamily of(int code) {
    for (NftFamily f : values()) {
      if (f.code == code) {
        return f;
      }
    }
    throw new IllegalArgumentException("unsupported nf_tables family " + code);
  }
}
