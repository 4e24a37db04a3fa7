package meshplane.netlink.rtnl;

import meshplane.netlink.NetNamespace;
import meshplane.netlink.NetlinkProtocol;
import meshplane.netlink.NetlinkSocket;

/**
 * An rtnetlink connection bound to one network namespace, the way vishvananda/netlink's Handle
 * is. Every object kind hangs off it: {@link #links()}, {@link #addresses()}, {@link #routes()},
 * {@link #neighbours()}, {@link #fdb()}. There is deliberately no handle on "the current
 * namespace": callers name the namespace they mean to change.
 */
public final class RtnlHandle implements AutoCloseable {
  private final NetNamespace namespace;
  private final NetlinkSocket socket;

  private RtnlHandle(NetNamespace namespace, NetlinkSocket socket) {
    this.namespace = namespace;
    this.socket = socket;
  }

  /** Opens an rtnetlink socket inside {@code ns}. The handle does not own {@code ns}. */
  public static RtnlHandle open(NetNamespace ns) {
    return new RtnlHandle(ns, NetlinkSocket.open(NetlinkProtocol.ROUTE, ns));
  }

  public NetNamespace namespace() {
    return namespace;
  }

  NetlinkSocket socket() {
    return socket;
  }

  /** "in netns NAME", for error messages. */
  String where() {
    return "in netns " + namespace.name();
  }

  public Links links() {
    return new Links(this);
  }

  public Addresses addresses() {
    return new Addresses(this);
  }

  public Routes routes() {
    return new Routes(this);
  }

  public Neighbours neighbours() {
    return new Neighbours(this);
  }

  public Fdb fdb() {
    return new Fdb(this);
  }

  @Override
  public void close() {
    socket.close();
  }
}
