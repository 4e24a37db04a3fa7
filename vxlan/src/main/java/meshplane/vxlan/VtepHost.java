package meshplane.vxlan;

import java.net.Inet4Address;

/**
 * The host an overlay runs on: its network namespace, its underlay address (the VTEP address
 * peers send VXLAN to) and the underlay device carrying it. Sandboxes of the host's networks
 * are namespaces named after it: {@code <namespace>-ov-<network id>}.
 */
public record VtepHost(String namespace, Inet4Address underlay, String underlayDevice) {
  public VtepHost {
    if (namespace == null || namespace.isEmpty() || underlay == null || underlayDevice == null) {
      throw new IllegalArgumentException("vtep host needs a namespace, an underlay address and an underlay device");
    }
  }

  /** The namespace of network {@code networkId}'s sandbox on this host. */
  public String sandboxNamespace(String networkId) {
    return namespace + "-ov-" + networkId;
  }
}
