package meshplane.ipvs;

/**
 * How IPVS hands a connection to a destination: the {@code IP_VS_CONN_F_FWD_MASK} bits of
 * {@code u32 IPVS_DEST_ATTR_FWD_METHOD}. ipvsadm's -m, -g, -i.
 */
public enum ForwardingMethod {
  /** IP_VS_CONN_F_MASQ (0): NAT, ipvsadm -m. What Docker Swarm's VIPs use. */
  MASQUERADE(0),
  /** IP_VS_CONN_F_LOCALNODE (1): the destination is this host; the kernel picks it itself. */
  LOCAL_NODE(1),
  /** IP_VS_CONN_F_TUNNEL (2): IP-in-IP, ipvsadm -i. */
  TUNNEL(2),
  /** IP_VS_CONN_F_DROUTE (3): direct routing (gatewaying), ipvsadm -g. */
  ROUTE(3),
  /** IP_VS_CONN_F_BYPASS (4): the kernel's own marker for cache bypass. */
  BYPASS(4);

  private final int code;

  ForwardingMethod(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  public static ForwardingMethod ofCode(int flags) {
    int code = flags & IpvsNl.IP_VS_CONN_F_FWD_MASK;
    for (ForwardingMethod m : values()) {
      if (m.code == code) {
        return m;
      }
    }
    throw new IllegalStateException("IPVS reported forwarding method " + code + ", which has no name");
  }
}
