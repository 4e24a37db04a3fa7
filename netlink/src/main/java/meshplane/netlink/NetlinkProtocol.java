package meshplane.netlink;

/** The netlink families meshplane talks to, with their {@code NETLINK_*} numbers. */
public enum NetlinkProtocol {
  /** rtnetlink: links, addresses, routes, neighbours, FDB. */
  ROUTE(0),
  /** nfnetlink: nf_tables, conntrack. */
  NETFILTER(12),
  /** generic netlink: IPVS and other families resolved by name. */
  GENERIC(16);

  private final int number;

  NetlinkProtocol(int number) {
    this.number = number;
  }

  public int number() {
    return number;
  }
}
