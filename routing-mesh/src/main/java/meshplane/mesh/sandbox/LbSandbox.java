package meshplane.mesh.sandbox;

import meshplane.netlink.NetNamespace;
import meshplane.netlink.Sysctl;
import meshplane.netlink.rtnl.RtnlHandle;

/**
 * A load-balancer sandbox namespace ({@code ingress_sbox} or {@code lb_<network>}): a router
 * that forwards marked flows to task addresses and sends replies back out the interface they
 * came in on. It forwards, and it does not send ICMP redirects (a redirect would tell a client to
 * bypass the NAT for a flow that must come back through it).
 */
public final class LbSandbox {
  private LbSandbox() {}

  /** Creates the namespace if missing and sets its forwarding; returns it open. */
  public static NetNamespace ensure(String name) {
    NetNamespace ns = NetNamespace.exists(name) ? NetNamespace.open(name) : NetNamespace.create(name);
    try (RtnlHandle h = RtnlHandle.open(ns)) {
      h.links().setUp("lo");
      Sysctl.write(ns, "net.ipv4.ip_forward", "1");
      Sysctl.write(ns, "net.ipv4.conf.all.send_redirects", "0");
      Sysctl.write(ns, "net.ipv4.conf.default.send_redirects", "0");
    } catch (RuntimeException e) {
      ns.close();
      throw e;
    }
    return ns;
  }

  /** Deletes the sandbox namespace (or the bare file a create killed halfway left); whether a namespace was there. */
  public static boolean remove(String name) {
    boolean was = NetNamespace.exists(name);
    NetNamespace.delete(name);
    return was;
  }
}
