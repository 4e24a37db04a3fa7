package meshplane.netlink.nfnl;

import meshplane.netlink.Message;
import meshplane.netlink.MessageBuilder;

/**
 * nfnetlink ({@code <linux/netfilter/nfnetlink.h>}), the NETLINK_NETFILTER framing that
 * nf_tables, conntrack and ipset share: the message type is {@code subsystem << 8 | message},
 * and every message starts with nfgenmsg.
 *
 * <pre>
 * nlmsghdr (16) | nfgenmsg: u8 family (NFPROTO_*), u8 version, be16 res_id (4) | attributes
 * </pre>
 *
 * For nf_tables, res_id carries the ruleset generation in replies and batch messages.
 */
public final class Nfnetlink {
  /** sizeof(struct nfgenmsg). */
  public static final int NFGENMSG_LEN = 4;
  public static final int NFNETLINK_V0 = 0;

  public static final int NFNL_SUBSYS_NONE = 0;
  public static final int NFNL_SUBSYS_CTNETLINK = 1;
  public static final int NFNL_SUBSYS_CTNETLINK_EXP = 2;
  public static final int NFNL_SUBSYS_QUEUE = 3;
  public static final int NFNL_SUBSYS_ULOG = 4;
  public static final int NFNL_SUBSYS_OSF = 5;
  public static final int NFNL_SUBSYS_IPSET = 6;
  public static final int NFNL_SUBSYS_ACCT = 7;
  public static final int NFNL_SUBSYS_CTNETLINK_TIMEOUT = 8;
  public static final int NFNL_SUBSYS_CTHELPER = 9;
  public static final int NFNL_SUBSYS_NFTABLES = 10;
  public static final int NFNL_SUBSYS_NFT_COMPAT = 11;
  public static final int NFNL_SUBSYS_HOOK = 12;

  /** Batch framing messages (subsystem NONE): a batch is BEGIN, its messages, END. */
  public static final int NFNL_MSG_BATCH_BEGIN = 0x10;
  public static final int NFNL_MSG_BATCH_END = 0x11;

  // nfgenmsg.nfgen_family, from <linux/netfilter.h>
  public static final int NFPROTO_UNSPEC = 0;
  public static final int NFPROTO_INET = 1;
  public static final int NFPROTO_IPV4 = 2;
  public static final int NFPROTO_ARP = 3;
  public static final int NFPROTO_NETDEV = 5;
  public static final int NFPROTO_BRIDGE = 7;
  public static final int NFPROTO_IPV6 = 10;

  private Nfnetlink() {}

  /** The netlink message type of {@code message} in {@code subsystem}. */
  public static int type(int subsystem, int message) {
    return (subsystem << 8) | message;
  }

  /** The subsystem part of a message type. */
  public static int subsystem(int type) {
    return (type >>> 8) & 0xff;
  }

  /** The message part of a message type. */
  public static int message(int type) {
    return type & 0xff;
  }

  /** Writes nfgenmsg: family, version 0, res_id in network byte order. */
  public static MessageBuilder nfgenmsg(MessageBuilder m, int family, int resId) {
    return m.u8(family).u8(NFNETLINK_V0).u8(resId >>> 8).u8(resId);
  }

  /** A message of {@code subsystem} with its nfgenmsg written; attributes follow. */
  public static MessageBuilder request(int subsystem, int message, int flags, int family, int resId) {
    return nfgenmsg(new MessageBuilder(type(subsystem, message), flags), family, resId);
  }

  /** The NFPROTO_* family of a received message. */
  public static int family(Message m) {
    return m.body().get(0) & 0xff;
  }

  /** The res_id of a received message (for nf_tables: the ruleset generation, low 16 bits). */
  public static int resId(Message m) {
    return ((m.body().get(2) & 0xff) << 8) | (m.body().get(3) & 0xff);
  }
}
