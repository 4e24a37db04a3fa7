package meshplane.vxlan.trace;

import meshplane.vxlan.VxlanHeader;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a {@link VxlanTrace} captures and when it stops: the network namespace and interface,
 * the VXLAN UDP port, an optional VNI filter, and the limits. A capture stops at the first of
 * {@code count} printed packets, {@code timeout}, or {@link VxlanTrace#stop}; with neither limit
 * it runs until stopped.
 *
 * @param namespace the named network namespace ({@code /run/netns/NAME}) the interface is in
 * @param iface the interface to capture on, inside {@code namespace}
 * @param port the VXLAN UDP destination port
 * @param vni print only packets of this VNI; null for all
 * @param count stop after printing this many packets; null for no limit
 * @param timeout stop after this long; null for no limit
 * @param dumpFile also write the printed packets to this pcap file; null for none
 */
public record TraceSpec(String namespace, String iface, int port, Integer vni, Long count, Duration timeout, Path dumpFile) {
  /** The IANA VXLAN port, which Linux's vxlan devices use with {@code dstport 4789}. */
  public static final int VXLAN_PORT = 4789;
  /** The interface a lab host has on the underlay. */
  public static final String UNDERLAY_INTERFACE = "eth0";

  public TraceSpec {
    if (namespace == null || namespace.isEmpty()) {
      throw new IllegalArgumentException("trace namespace must be given");
    }
    if (iface == null || iface.isEmpty() || iface.length() > 15 || iface.contains("/") || iface.contains(" ")) {
      throw new IllegalArgumentException("trace interface \"" + iface + "\" must be an interface name of 1 to 15 characters");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("--port " + port + " must be between 1 and 65535");
    }
    if (vni != null && (vni < 0 || vni > VxlanHeader.MAX_VNI)) {
      throw new IllegalArgumentException("--vni " + vni + " must be between 0 and " + VxlanHeader.MAX_VNI);
    }
    if (count != null && count < 1) {
      throw new IllegalArgumentException("--count " + count + " must be at least 1");
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("--timeout " + timeout.toSeconds() + " must be more than 0 seconds");
    }
  }

  /** All VXLAN packets to port 4789 on eth0 of {@code namespace}, with no limit. */
  public static TraceSpec of(String namespace) {
    return new TraceSpec(namespace, UNDERLAY_INTERFACE, VXLAN_PORT, null, null, null, null);
  }

  public TraceSpec withNamespace(String newNamespace) {
    return new TraceSpec(newNamespace, iface, port, vni, count, timeout, dumpFile);
  }

  public TraceSpec withInterface(String newIface) {
    return new TraceSpec(namespace, newIface, port, vni, count, timeout, dumpFile);
  }

  public TraceSpec withPort(int newPort) {
    return new TraceSpec(namespace, iface, newPort, vni, count, timeout, dumpFile);
  }

  public TraceSpec withVni(Integer newVni) {
    return new TraceSpec(namespace, iface, port, newVni, count, timeout, dumpFile);
  }

  public TraceSpec withCount(Long newCount) {
    return new TraceSpec(namespace, iface, port, vni, newCount, timeout, dumpFile);
  }

  public TraceSpec withTimeout(Duration newTimeout) {
    return new TraceSpec(namespace, iface, port, vni, count, newTimeout, dumpFile);
  }

  public TraceSpec withDumpFile(Path newDumpFile) {
    return new TraceSpec(namespace, iface, port, vni, count, timeout, newDumpFile);
  }

  /** The BPF filter the kernel applies: UDP to the VXLAN port, over IPv4 or IPv6. */
  public String bpfFilter() {
    return "udp dst port " + port;
  }

  /** How errors name this capture: {@code capture on eth0 in netns mp-lab-node2}. */
  public String describe() {
    return "capture on " + iface + " in netns " + namespace;
  }
}
