package meshplane.netlink.rtnl;

/** Placeholder while being written (this line must not survive to a commit). */
public final class Neighbours {
  private final RtnlHandle handle;

  Neighbours(RtnlHandle handle) {
    this.handle = handle;
  }
}
