package meshplane.nft;

/** A base chain's type, as the kernel names it (NFTA_CHAIN_TYPE). */
public enum ChainType {
  FILTER("filter"), NAT("nat"), ROUTE("route");

  private final String kernelName;

  ChainType(String kernelName) {
    this.kernelName = kernelName;
  }

  public String kernelName() {
    return kernelName;
  }

  public static ChainType of(String kernelName) {
    for (ChainType t : values()) {
      if (t.kernelName.equals(kernelName)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown chain type " + kernelName);
  }
}
