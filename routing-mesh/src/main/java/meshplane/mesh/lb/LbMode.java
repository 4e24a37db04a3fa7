package meshplane.mesh.lb;

import java.util.Locale;
import meshplane.ipvs.Ipvs;
import meshplane.ipvs.IpvsAvailability;
import meshplane.netlink.NetNamespace;

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
   * The backend this mode means on this kernel (asked in {@code ns}): {@code auto} is IPVS when
   * the kernel has it, else nf_tables; an explicit {@code ipvs} on a kernel without it is refused
   * with the reason.
   */
  public LbMode resolve(NetNamespace ns) {
    return switch (this) {
      case NFTABLES -> NFTABLES;
      case AUTO -> Ipvs.isAvailable(ns) ? IPVS : NFTABLES;
      case IPVS -> {
        IpvsAvailability a = Ipvs.availability(ns);
        if (!a.available()) {
          throw new IllegalArgumentException("--lb ipvs: " + a.reason() + "; use --lb nftables or auto");
        }
        yield IPVS;
      }
    };
  }

  /**
   * Why {@code requested} means {@code this} here, in one line for logs and {@code debug netns},
   * e.g. {@code "auto -> nftables (IPVS: the kernel has no generic netlink family \"IPVS\" ...)"}.
   */
  public String explain(LbMode requested, NetNamespace ns) {
    IpvsAvailability a = Ipvs.availability(ns);
    String ipvs = a.available() ? "IPVS available" : "IPVS not available: " + a.reason();
    return requested.name().toLowerCase(Locale.ROOT) + " -> " + name().toLowerCase(Locale.ROOT) + " (" + ipvs + ")";
  }

  public String describe() {
    return name().toLowerCase(Locale.ROOT) + " load balancer";
  }
}
