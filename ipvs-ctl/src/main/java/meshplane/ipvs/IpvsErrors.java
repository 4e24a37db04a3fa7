package meshplane.ipvs;

import static meshplane.ipvs.IpvsNl.*;

import meshplane.netlink.Errno;
import meshplane.netlink.NetlinkError;
import meshplane.netlink.NetlinkException;

/**
 * What IPVS means by an errno, since its refusals rarely come with extended-ack text: ESRCH is
 * "no such service", ENOENT on a destination is "no such destination", on a new service "no such
 * scheduler" (the ip_vs_SCHED module is missing). The hint is added to the object named in the
 * error; errno and any kernel text are kept.
 */
final class IpvsErrors {
  private IpvsErrors() {}

  static NetlinkException explain(NetlinkException e, int cmd, String extra) {
    String hint = hint(cmd, e.errno(), extra);
    if (hint.isEmpty()) {
      return e;
    }
    NetlinkException better = new NetlinkException(e.operation(), e.object() + " (" + hint + ")",
        new NetlinkError(e.errno(), 0, e.kernelMessage(), e.attributeOffset()));
    better.initCause(e);
    return better;
  }

  /** {@code extra}: the scheduler of a service command, for the ENOENT hint. */
  static String hint(int cmd, int errno, String extra) {
    boolean destCmd = cmd == IPVS_CMD_NEW_DEST || cmd == IPVS_CMD_SET_DEST || cmd == IPVS_CMD_DEL_DEST;
    switch (errno) {
      case Errno.ESRCH:
        return "no such service";
      case Errno.EEXIST:
        return destCmd ? "the service has this destination already" : "the service exists already";
      case Errno.ENOENT:
        if (destCmd) {
          return "the service has no such destination";
        }
        return cmd == IPVS_CMD_NEW_SERVICE || cmd == IPVS_CMD_SET_SERVICE
            ? "no scheduler or persistence engine module for \"" + extra + "\"" : "";
      case Errno.EPERM:
        return "IPVS needs CAP_NET_ADMIN";
      case Errno.EINVAL:
        // ip_vs_new_dest: inet_addr_type() must say local or unicast; in a namespace whose local
        // routing table does not exist yet (no address at all, lo down) it says broadcast
        return cmd == IPVS_CMD_NEW_DEST
            ? "the address is not unicast here, or the namespace has no local routing table yet: bring lo up" : "";
      case 34: // ERANGE
        return "weight or thresholds out of range";
      default:
        return "";
    }
  }
}
