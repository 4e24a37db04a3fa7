package meshplane.cli;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import meshplane.vxlan.VtepHost;

/** Resolves {@code --node NODE} of a lab to the node's namespace and underlay as a {@link VtepHost}. */
final class LabNodes {
  private LabNodes() {}

  static VtepHost vtepHost(String labName, String node) {
    LabHost h = Lab.require(labName).host(node);
    if (h.role() != LabHost.Role.NODE) {
      throw new IllegalArgumentException("--node " + node + " must be a node (node1..nodeN), not the " + h.role().name().toLowerCase());
    }
    try {
      return new VtepHost(h.namespace(), (Inet4Address) InetAddress.getByName(h.underlayAddress()), "eth0");
    } catch (UnknownHostException e) {
      throw new IllegalStateException("lab state names a bad underlay address for " + node + ": " + h.underlayAddress(), e);
    }
  }
}
