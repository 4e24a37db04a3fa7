package meshplane.ipvs;

/**
 * The IPVS generic netlink interface of {@code <linux/ip_vs.h>}, spelled as the header spells
 * it. Every IPVS number meshplane uses lives here and nowhere else.
 *
 * <pre>
 * request:  nlmsghdr{type = IPVS family id (from the genl controller), flags}
 *           genlmsghdr{u8 cmd = IPVS_CMD_*, u8 version = 1, u16 reserved}      (no family header)
 *           IPVS_CMD_ATTR_SERVICE (nested)                 IPVS_SVC_ATTR_*
 *             AF u16 | FWMARK u32  or  PROTOCOL u16, ADDR 16 bytes, PORT be16
 *             [SCHED_NAME string, PE_NAME string, FLAGS {u32 flags, u32 mask}, TIMEOUT u32, NETMASK 4 bytes]
 *           IPVS_CMD_ATTR_DEST (nested)                    IPVS_DEST_ATTR_*
 *             ADDR_FAMILY u16, ADDR 16 bytes, PORT be16
 *             [FWD_METHOD u32, WEIGHT u32, U_THRESH u32, L_THRESH u32]
 *           IPVS_CMD_ATTR_TIMEOUT_TCP / _TCP_FIN / _UDP u32 (seconds; SET_CONFIG only)
 * replies:  IPVS_CMD_NEW_SERVICE / NEW_DEST / SET_CONFIG with the same attributes, plus
 *           ACTIVE/INACT/PERSIST_CONNS u32 and STATS (u32, u64 bytes) / STATS64 (all u64) nests.
 * </pre>
 *
 * Addresses travel as {@code union nf_inet_addr} (16 bytes, an IPv4 address in the first 4);
 * ports in network order, everything else in host order. The kernel nests its replies without
 * NLA_F_NESTED.
 */
final class IpvsNl {
  static final String IPVS_GENL_NAME = "IPVS";
  static final int IPVS_GENL_VERSION = 1;
  /** sizeof(union nf_inet_addr). */
  static final int NF_INET_ADDR_LEN = 16;
  /** IP_VS_SCHEDNAME_MAXLEN and IP_VS_PENAME_MAXLEN, NUL included. */
  static final int IP_VS_SCHEDNAME_MAXLEN = 16;
  static final int IP_VS_PENAME_MAXLEN = 16;

  // enum IPVS_CMD_*
  static final int IPVS_CMD_NEW_SERVICE = 1;
  static final int IPVS_CMD_SET_SERVICE = 2;
  static final int IPVS_CMD_DEL_SERVICE = 3;
  static final int IPVS_CMD_GET_SERVICE = 4;
  static final int IPVS_CMD_NEW_DEST = 5;
  static final int IPVS_CMD_SET_DEST = 6;
  static final int IPVS_CMD_DEL_DEST = 7;
  static final int IPVS_CMD_GET_DEST = 8;
  static final int IPVS_CMD_SET_CONFIG = 12;
  static final int IPVS_CMD_GET_CONFIG = 13;
  static final int IPVS_CMD_FLUSH = 17;

  // enum IPVS_CMD_ATTR_*
  static final int IPVS_CMD_ATTR_SERVICE = 1;
  static final int IPVS_CMD_ATTR_DEST = 2;
  static final int IPVS_CMD_ATTR_TIMEOUT_TCP = 4;
  static final int IPVS_CMD_ATTR_TIMEOUT_TCP_FIN = 5;
  static final int IPVS_CMD_ATTR_TIMEOUT_UDP = 6;

  // enum IPVS_SVC_ATTR_*
  static final int IPVS_SVC_ATTR_AF = 1;
  static final int IPVS_SVC_ATTR_PROTOCOL = 2;
  static final int IPVS_SVC_ATTR_ADDR = 3;
  static final int IPVS_SVC_ATTR_PORT = 4;
  static final int IPVS_SVC_ATTR_FWMARK = 5;
  static final int IPVS_SVC_ATTR_SCHED_NAME = 6;
  static final int IPVS_SVC_ATTR_FLAGS = 7;
  static final int IPVS_SVC_ATTR_TIMEOUT = 8;
  static final int IPVS_SVC_ATTR_NETMASK = 9;
  static final int IPVS_SVC_ATTR_STATS = 10;
  static final int IPVS_SVC_ATTR_PE_NAME = 11;
  static final int IPVS_SVC_ATTR_STATS64 = 12;

  // enum IPVS_DEST_ATTR_*
  static final int IPVS_DEST_ATTR_ADDR = 1;
  static final int IPVS_DEST_ATTR_PORT = 2;
  static final int IPVS_DEST_ATTR_FWD_METHOD = 3;
  static final int IPVS_DEST_ATTR_WEIGHT = 4;
  static final int IPVS_DEST_ATTR_U_THRESH = 5;
  static final int IPVS_DEST_ATTR_L_THRESH = 6;
  static final int IPVS_DEST_ATTR_ACTIVE_CONNS = 7;
  static final int IPVS_DEST_ATTR_INACT_CONNS = 8;
  static final int IPVS_DEST_ATTR_PERSIST_CONNS = 9;
  static final int IPVS_DEST_ATTR_STATS = 10;
  static final int IPVS_DEST_ATTR_ADDR_FAMILY = 11;
  static final int IPVS_DEST_ATTR_STATS64 = 12;

  // enum IPVS_STATS_ATTR_*
  static final int IPVS_STATS_ATTR_CONNS = 1;
  static final int IPVS_STATS_ATTR_INPKTS = 2;
  static final int IPVS_STATS_ATTR_OUTPKTS = 3;
  static final int IPVS_STATS_ATTR_INBYTES = 4;
  static final int IPVS_STATS_ATTR_OUTBYTES = 5;
  static final int IPVS_STATS_ATTR_CPS = 6;
  static final int IPVS_STATS_ATTR_INPPS = 7;
  static final int IPVS_STATS_ATTR_OUTPPS = 8;
  static final int IPVS_STATS_ATTR_INBPS = 9;
  static final int IPVS_STATS_ATTR_OUTBPS = 10;
  static final int IPVS_STATS_ATTR_PAD = 11;

  /** IP_VS_CONN_F_FWD_MASK: the forwarding method bits of a destination's conn_flags. */
  static final int IP_VS_CONN_F_FWD_MASK = 0x0007;
  /** IP_VS_SVC_F_HASHED: set by the kernel on every service it holds; never sent. */
  static final int IP_VS_SVC_F_HASHED = 0x0002;

  private IpvsNl() {}
}
