package meshplane.mesh.sandbox;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.rtnl.AddressEntry;
import meshplane.netlink.rtnl.RtnlHandle;

/**
 * The VIPs an {@code lb_<network>} sandbox holds: /32 addresses on its overlay interface, so the
 * sandbox answers ARP for them on the network's bridge (tasks on this node reach the VIP here,
 * never over VXLAN) and answers ping. The interface's own address (the network prefix) is not a
 * VIP and is never touched here.
 */
public final class VipAddresses {
  private VipAddresses() {}

  /** The VIPs on {@code iface} now. */
  public static Set<InetAddress> read(RtnlHandle sandbox, String iface) {
    Set<InetAddress> vips = new HashSet<>();
    for (AddressEntry a : sandbox.addresses().list(iface)) {
      if (a.isIpv4() && a.prefix().length() == 32) {
        vips.add(a.prefix().address());
      }
    }
    return vips;
  }

  /** Makes the VIPs on {@code iface} exactly {@code desired}; returns how many addresses changed. */
  public static int sync(RtnlHandle sandbox, String iface, Set<InetAddress> desired) {
    Set<InetAddress> present = read(sandbox, iface);
    List<InetAddress> gone = new ArrayList<>(present);
    gone.removeAll(desired);
    int changed = 0;
    for (InetAddress a : gone) {
      sandbox.addresses().delete(iface, new IpPrefix(a, 32));
      changed++;
    }
    for (InetAddress a : desired) {
      if (!present.contains(a)) {
        sandbox.addresses().add(iface, new IpPrefix(a, 32));
        changed++;
      }
    }
    return changed;
  }

  public static void add(RtnlHandle sandbox, String iface, InetAddress vip) {
    sandbox.addresses().add(iface, new IpPrefix(vip, 32));
  }

  public static void delete(RtnlHandle sandbox, String iface, InetAddress vip) {
    sandbox.addresses().delete(iface, new IpPrefix(vip, 32));
  }
}
