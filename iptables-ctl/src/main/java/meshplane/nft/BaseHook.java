package meshplane.nft;

/**
 * What makes a chain a base chain: the hook it is attached to, its type and priority (lower runs
 * first: raw -300, mangle -150, dstnat -100, filter 0, srcnat 100). The policy is always accept.
 */
public record BaseHook(Hook hook, ChainType type, int priority) {
  public static final int PRIORITY_RAW = -300;
  public static final int PRIORITY_MANGLE = -150;
  public static final int PRIORITY_DSTNAT = -100;
  public static final int PRIORITY_FILTER = 0;
  public static final int PRIORITY_SRCNAT = 100;
}
