package meshplane.netlink;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * br_netfilter's per-namespace switches ({@code net.bridge.bridge-nf-call-iptables} and
 * friends). Where the kernel has br_netfilter, every frame a bridge forwards is also passed
 * through the namespace's IPv4/IPv6/ARP netfilter hooks, a per-packet cost meshplane's bridges
 * do not need: they filter nothing at layer 2. {@link #off} turns it off in one namespace; on a
 * kernel without br_netfilter there is nothing to turn off.
 */
public final class BridgeNetfilter {
  private static final String[] KEYS = {
      "net.bridge.bridge-nf-call-iptables", "net.bridge.bridge-nf-call-ip6tables", "net.bridge.bridge-nf-call-arptables"};

  private BridgeNetfilter() {}

  /** Stops bridged frames in {@code ns} from going through netfilter; returns whether br_netfilter was there. */
  public static boolean off(NetNamespace ns) {
    if (!Files.exists(Path.of("/proc/sys/net/bridge"))) {
      return false;
    }
    for (String key : KEYS) {
      Sysctl.write(ns, key, "0");
    }
    return true;
  }
}
