package meshplane.mesh.lb;

import java.util.Locale;

/**
 * Which load balancer carries the mesh's marked flows: {@code nftables} (numgen round-robin maps
 * per service, works on any kernel with nf_tables), {@code ipvs} (firewall-mark virtual services,
 * where the kernel has IPVS), or {@code auto}.
 */
public enum LbMode {
  AUTO, IPVS, NFTABLES;

  /** Parses {@code --lb}; anything else is refused naming the accepted values. */
  public static LbMode parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException("--lb \"" + text + "\" must be auto, ipvs or nftables");
    }
  }

  /**
   * The backend this mode means here. The IPVS backend of the mesh is not built yet, so
   * {@code auto} is nf_tables and an explicit {@code ipvs} is refused, saying so.
   */
  public LbMode resolve() {
    return switch (this) {
      case NFTABLES, AUTO -> NFTABLES;
      case IPVS -> throw new IllegalArgumentException(
          "--lb ipvs: the routing mesh's IPVS backend is not built yet (ipvs-ctl is; the backend comes with the VM tier); use --lb nftables");
    };
  }

  public String describe() {
    return name().toLowerCase(Locale.ROOT) + " load balancer";
  }
}
