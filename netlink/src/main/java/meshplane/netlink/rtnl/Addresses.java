package meshplane.netlink.rtnl;

/** Placeholder while being written (this line must not survive to a commit). */
public final class Addresses {
  private final RtnlHandle handle;

  Addresses(RtnlHandle handle) {
    this.handle = handle;
  }
}
