package meshplane.netlink.rtnl;

import java.net.Inet4Address;
import meshplane.netlink.NetNamespace;

/**
 * What to create with {@link Links#add}: one record per link kind. MTU, MAC, master and state
 * are set afterwards with the {@link Links} setters, which work for every kind.
 */
public sealed interface LinkSpec {
  /** The interface name, at most 15 bytes. */
  String name();

  /** The rtnetlink kind string (IFLA_INFO_KIND). */
  String kind();

  /**
   * A veth pair: {@code name} here, {@code peerName} in {@code peerNamespace} (the handle's own
   * namespace when null). Equivalent to {@code ip link add NAME type veth peer name PEER netns NS}.
   */
  record Veth(String name, String peerName, NetNamespace peerNamespace) implements LinkSpec {
    public Veth {
      Links.checkName(name);
      Links.checkName(peerName);
    }

    public Veth(String name, String peerName) {
      this(name, peerName, null);
    }

    @Override
    public String kind() {
      return "veth";
    }
  }

  /** A Linux bridge. Equivalent to {@code ip link add NAME type bridge}. */
  record Bridge(String name) implements LinkSpec {
    public Bridge {
      Links.checkName(name);
    }

    @Override
    public String kind() {
      return "bridge";
    }
  }

  /** A dummy interface. Equivalent to {@code ip link add NAME type dummy}. */
  record Dummy(String name) implements LinkSpec {
    public Dummy {
      Links.checkName(name);
    }

    @Override
    public String kind() {
      return "dummy";
    }
  }

  /**
   * A VXLAN device. Equivalent to {@code ip link add NAME type vxlan id VNI dstport PORT
   * [local LOCAL] [dev UNDERLAY] [nolearning] [proxy] ttl TTL}. No group: remote VTEPs come from
   * static FDB entries. With {@code proxy} the device answers ARP requests from its neighbour
   * table (how Docker's overlay avoids flooding). {@code local} and {@code underlayDevice} may be
   * null.
   */
  record Vxlan(String name, int vni, int port, Inet4Address local, boolean learning, int ttl,
      String underlayDevice, boolean proxy) implements LinkSpec {
    public static final int DEFAULT_PORT = 4789;

    /** A device without ARP proxy. */
    public Vxlan(String name, int vni, int port, Inet4Address local, boolean learning, int ttl, String underlayDevice) {
      this(name, vni, port, local, learning, ttl, underlayDevice, false);
    }

    public Vxlan {
      Links.checkName(name);
      if (vni < 1 || vni > 0xffffff) {
        throw new IllegalArgumentException("vxlan " + name + ": VNI " + vni + " must be between 1 and 16777215");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("vxlan " + name + ": port " + port + " must be between 1 and 65535");
      }
      if (ttl < 0 || ttl > 255) {
        throw new IllegalArgumentException("vxlan " + name + ": TTL " + ttl + " must be between 0 and 255");
      }
    }

    @Override
    public String kind() {
      return "vxlan";
    }
  }
}
