package meshplane.nft;

/** Netfilter hooks ({@code enum nf_inet_hooks}). */
public enum Hook {
  PREROUTING(0), INPUT(1), FORWARD(2), OUTPUT(3), POSTROUTING(4);

  private final int code;

  Hook(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static Hook of(int code) {
    return values()[code];
  }
}
