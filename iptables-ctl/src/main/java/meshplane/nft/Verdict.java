package meshplane.nft;

/**
 * A verdict ({@code NFTA_DATA_VERDICT}): {@code code} is NF_ACCEPT (1), NF_DROP (0), or one of
 * NFT_CONTINUE (-1), NFT_BREAK (-2), NFT_JUMP (-3), NFT_GOTO (-4), NFT_RETURN (-5); jump and
 * goto name a chain of the same table.
 */
public record Verdict(int code, String chain) {
  public static final int NF_DROP = 0;
  public static final int NF_ACCEPT = 1;
  public static final int NFT_CONTINUE = -1;
  public static final int NFT_BREAK = -2;
  public static final int NFT_JUMP = -3;
  public static final int NFT_GOTO = -4;
  public static final int NFT_RETURN = -5;

  public static final Verdict ACCEPT = new Verdict(NF_ACCEPT, null);
  public static final Verdict DROP = new Verdict(NF_DROP, null);
  public static final Verdict RETURN = new Verdict(NFT_RETURN, null);

  public Verdict {
    if ((code == NFT_JUMP || code == NFT_GOTO) != (chain != null)) {
      throw new IllegalArgumentException("a jump or goto verdict, and only those, names a chain");
    }
  }

  public static Verdict jump(String chain) {
    return new Verdict(NFT_JUMP, chain);
  }

  public static Verdict goTo(String chain) {
    return new Verdict(NFT_GOTO, chain);
  }
}
