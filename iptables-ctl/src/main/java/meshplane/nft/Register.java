package meshplane.nft;

/** nf_tables register numbers ({@code enum nft_registers}). */
public final class Register {
  public static final int VERDICT = 0;
  /** The 16-byte registers NFT_REG_1..4; NFT_REG_1 overlaps NFT_REG32_00..03. */
  public static final int REG_1 = 1;
  public static final int REG_2 = 2;
  public static final int REG_3 = 3;
  public static final int REG_4 = 4;
  /** NFT_REG32_00; the 32-bit registers are 8..23. */
  public static final int REG32_00 = 8;

  private Register() {}

  /** The 32-bit register {@code n} (0-15). */
  public static int reg32(int n) {
    if (n < 0 || n > 15) {
      throw new IllegalArgumentException("32-bit register index out of 0-15: " + n);
    }
    return REG32_00 + n;
  }
}
