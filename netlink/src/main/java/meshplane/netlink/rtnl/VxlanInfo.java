package meshplane.netlink.rtnl;

import java.net.InetAddress;

/**
 * The VXLAN settings the kernel reports for a vxlan link; {@code local} is null when unset,
 * {@code proxy} says whether the device answers ARP from its neighbour table.
 */
public record VxlanInfo(int vni, int port, InetAddress local, boolean learning, int ttl, int underlayIndex,
    boolean proxy) {}
