package meshplane.netlink.rtnl;

/**
 * rtnetlink constants with the kernel headers' names ({@code <linux/rtnetlink.h>},
 * {@code <linux/if_link.h>}, {@code <linux/neighbour.h>}, {@code <linux/if_addr.h>}).
 */
public final class Rtnl {
  private Rtnl() {}

  public static final int AF_UNSPEC = 0;
  public static final int AF_INET = 2;
  public static final int AF_BRIDGE = 7;
  public static final int AF_INET6 = 10;

  // message types
  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_SETLINK = 19;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTM_DELROUTE = 25;
  public static final int RTM_GETROUTE = 26;
  public static final int RTM_NEWNEIGH = 28;
  public static final int RTM_DELNEIGH = 29;
  public static final int RTM_GETNEIGH = 30;

  // multicast groups, as bits for bind()
  public static final int RTMGRP_LINK = 0x1;
  public static final int RTMGRP_NEIGH = 0x4;
  public static final int RTMGRP_IPV4_IFADDR = 0x10;
  public static final int RTMGRP_IPV4_ROUTE = 0x40;

  // struct ifinfomsg: u8 family, u8 pad, u16 type, s32 index, u32 flags, u32 change
  public static final int IFINFOMSG_LEN = 16;
  public static final int IFF_UP = 0x1;
  public static final int IFF_LOWER_UP = 0x10000;

  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_BROADCAST = 2;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_LINK = 5;
  public static final int IFLA_MASTER = 10;
  public static final int IFLA_OPERSTATE = 16;
  public static final int IFLA_LINKINFO = 18;
  public static final int IFLA_NET_NS_PID = 19;
  public static final int IFLA_NET_NS_FD = 28;
  public static final int IFLA_LINK_NETNSID = 37;

  public static final int IFLA_INFO_KIND = 1;
  public static final int IFLA_INFO_DATA = 2;
  public static final int IFLA_INFO_SLAVE_KIND = 4;

  public static final int VETH_INFO_PEER = 1;

  public static final int IFLA_VXLAN_ID = 1;
  public static final int IFLA_VXLAN_GROUP = 2;
  public static final int IFLA_VXLAN_LINK = 3;
  public static final int IFLA_VXLAN_LOCAL = 4;
  public static final int IFLA_VXLAN_TTL = 5;
  public static final int IFLA_VXLAN_TOS = 6;
  public static final int IFLA_VXLAN_LEARNING = 7;
  public static final int IFLA_VXLAN_AGEING = 8;
  public static final int IFLA_VXLAN_LIMIT = 9;
  public static final int IFLA_VXLAN_PROXY = 11;
  public static final int IFLA_VXLAN_L2MISS = 13;
  public static final int IFLA_VXLAN_L3MISS = 14;
  public static final int IFLA_VXLAN_PORT = 15;
  public static final int IFLA_VXLAN_UDP_CSUM = 18;

  // struct ifaddrmsg: u8 family, u8 prefixlen, u8 flags, u8 scope, u32 index
  public static final int IFADDRMSG_LEN = 8;
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  public static final int IFA_LABEL = 3;
  public static final int IFA_BROADCAST = 4;
  public static final int IFA_CACHEINFO = 6;
  public static final int IFA_FLAGS = 8;
  public static final int IFA_F_NODAD = 0x02;
  public static final int IFA_F_TENTATIVE = 0x40;
  public static final int IFA_F_PERMANENT = 0x80;

  // struct rtmsg: u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags
  public static final int RTMSG_LEN = 12;
  public static final int RTA_DST = 1;
  public static final int RTA_SRC = 2;
  public static final int RTA_IIF = 3;
  public static final int RTA_OIF = 4;
  public static final int RTA_GATEWAY = 5;
  public static final int RTA_PRIORITY = 6;
  public static final int RTA_PREFSRC = 7;
  public static final int RTA_TABLE = 15;
  public static final int RTM_F_CLONED = 0x200;
  public static final int RT_TABLE_UNSPEC = 0;
  public static final int RT_TABLE_MAIN = 254;
  public static final int RT_TABLE_LOCAL = 255;
  public static final int RTPROT_KERNEL = 2;
  public static final int RTPROT_BOOT = 3;
  public static final int RTPROT_STATIC = 4;
  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;
  public static final int RT_SCOPE_NOWHERE = 255;
  public static final int RTN_UNSPEC = 0;
  public static final int RTN_UNICAST = 1;
  public static final int RTN_LOCAL = 2;
  public static final int RTN_BROADCAST = 3;
  public static final int RTN_BLACKHOLE = 6;
  public static final int RTN_UNREACHABLE = 7;

  // struct ndmsg: u8 family, u8 pad, u16 pad, s32 ifindex, u16 state, u8 flags, u8 type
  public static final int NDMSG_LEN = 12;
  public static final int NDA_DST = 1;
  public static final int NDA_LLADDR = 2;
  public static final int NDA_VLAN = 5;
  public static final int NDA_MASTER = 9;
  public static final int NDA_VNI = 7;
  public static final int NDA_PORT = 6;
  public static final int NDA_IFINDEX = 8;
  public static final int NUD_INCOMPLETE = 0x01;
  public static final int NUD_REACHABLE = 0x02;
  public static final int NUD_STALE = 0x04;
  public static final int NUD_DELAY = 0x08;
  public static final int NUD_PROBE = 0x10;
  public static final int NUD_FAILED = 0x20;
  public static final int NUD_NOARP = 0x40;
  public static final int NUD_PERMANENT = 0x80;
  public static final int NTF_SELF = 0x02;
  public static final int NTF_MASTER = 0x04;
  public static final int NTF_EXT_LEARNED = 0x10;
}
