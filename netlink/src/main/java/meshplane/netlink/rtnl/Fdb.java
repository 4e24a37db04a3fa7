package meshplane.netlink.rtnl;

/** Placeholder while being written (this line must not survive to a commit). */
public final class Fdb {
  private final RtnlHandle handle;

  Fdb(RtnlHandle handle) {
    this.handle = handle;
  }
}
