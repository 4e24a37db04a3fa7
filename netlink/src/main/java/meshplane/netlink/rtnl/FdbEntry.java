package meshplane.netlink.rtnl;

import java.net.InetAddress;
import meshplane.netlink.MacAddress;

/**
 * A bridge forwarding-database entry ({@code bridge fdb}; an AF_BRIDGE ndmsg): the device by
 * index or by name (when both are given the index wins; entries read from the kernel carry
 * both), the MAC, the remote VTEP for a VXLAN device (NDA_DST; null: none), the NTF_* flags
 * (NTF_SELF: the device's own table, NTF_MASTER: the bridge the device is a port of), the
 * NUD_* state (NUD_PERMANENT: permanent, NUD_NOARP: static) and, read back only, the index of
 * the bridge (NDA_MASTER; 0: none).
 */
public record FdbEntry(int linkIndex, String linkName, MacAddress mac, InetAddress remote, int flags, int state,
    int masterIndex) {
  /** 00:00:00:00:00:00: a VXLAN device sends broadcast and unknown traffic to every remote of this entry. */
  public static final MacAddress ALL_ZEROS = new MacAddress(new byte[6]);

  public FdbEntry {
    if (linkIndex < 0 || (linkIndex == 0 && linkName == null)) {
      throw new IllegalArgumentException("fdb entry " + mac + " must name its device (by positive index or by name)");
    }
    if (linkName != null) {
      Links.checkName(linkName);
    }
    if (mac == null) {
      throw new IllegalArgumentException("fdb entry on " + LinkNames.describe(linkName, linkIndex) + " must have a MAC address");
    }
    if (flags < 0 || flags > 0xff) {
      throw new IllegalArgumentException("fdb entry " + mac + ": flags " + flags + " must fit 8 bits (NTF_*)");
    }
    if (state < 0 || state > 0xffff) {
      throw new IllegalArgumentException("fdb entry " + mac + ": state " + state + " must fit 16 bits (NUD_*)");
    }
  }

  /**
   * MAC reached through the VTEP at {@code remote}, in the VXLAN device's own table. As in
   * {@code bridge fdb add MAC dev DEVICE dst REMOTE self permanent}.
   */
  public static FdbEntry remote(String device, MacAddress mac, InetAddress remote) {
    return new FdbEntry(0, device, mac, remote, Rtnl.NTF_SELF, Rtnl.NUD_PERMANENT, 0);
  }

  /**
   * The all-zeros entry that floods broadcast and unknown traffic to {@code remote}; to be
   * appended, one per remote. As in {@code bridge fdb append 00:00:00:00:00:00 dev DEVICE dst REMOTE}.
   */
  public static FdbEntry flood(String device, InetAddress remote) {
    return remote(device, ALL_ZEROS, remote);
  }

  /**
   * MAC reached through bridge port {@code port}, in the bridge's table, static (never ages,
   * forwarded to the port). As in {@code bridge fdb add MAC dev PORT master static}.
   */
  public static FdbEntry onBridgePort(String port, MacAddress mac) {
    return new FdbEntry(0, port, mac, null, Rtnl.NTF_MASTER, Rtnl.NUD_NOARP, 0);
  }

  public boolean isSelf() {
    return (flags & Rtnl.NTF_SELF) != 0;
  }

  public boolean isMaster() {
    return (flags & Rtnl.NTF_MASTER) != 0;
  }

  public boolean isPermanent() {
    return (state & Rtnl.NUD_PERMANENT) != 0;
  }

  /** Static: never ages, not local (NUD_NOARP without NUD_PERMANENT). */
  public boolean isStatic() {
    return !isPermanent() && (state & Rtnl.NUD_NOARP) != 0;
  }

  FdbEntry withLinkName(String name) {
    return new FdbEntry(linkIndex, name, mac, remote, flags, state, masterIndex);
  }

  /** {@code 02:42:0a:00:00:05 dev mp-vx dst 198.18.0.3 self nud 0x80}. */
  @Override
  public String toString() {
    return mac + " dev " + LinkNames.describe(linkName, linkIndex)
        + (remote == null ? "" : " dst " + remote.getHostAddress())
        + (isSelf() ? " self" : "") + (isMaster() ? " master" : "")
        + " nud 0x" + Integer.toHexString(state);
  }
}
