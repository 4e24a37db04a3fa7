package meshplane.netlink.rtnl;

/** Placeholder while being written (this line must not survive to a commit). */
public final class Routes {
  private final RtnlHandle handle;

  Routes(RtnlHandle handle) {
    this.handle = handle;
  }
}
