package meshplane.ipvs;

import static meshplane.ipvs.IpvsNl.*;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import meshplane.netlink.Attribute;
import meshplane.netlink.Attributes;
import meshplane.netlink.Message;
import meshplane.netlink.genl.GenericNetlink;

/**
 * Decodes what the kernel's IPVS sends back: IPVS_CMD_NEW_SERVICE (a dump part or the answer to
 * a GET), IPVS_CMD_NEW_DEST (a dump part) and IPVS_CMD_SET_CONFIG (the answer to GET_CONFIG).
 * Attributes a version of the kernel adds are skipped; a missing attribute the kernel always
 * sends, or one of the wrong size, is an error naming it, never a silent default.
 *
 * <p>Two things the kernel reports are not part of a service's configuration and are dropped
 * on purpose: the IP_VS_SVC_F_HASHED flag (set on every service the kernel holds) and the
 * mask of IPVS_SVC_ATTR_FLAGS (always ~0).
 */
public final class IpvsReplies {
  private IpvsReplies() {}

  /** A service from IPVS_CMD_NEW_SERVICE. */
  public static ServiceWithStats service(Message m) {
    Attributes svc = top(m, IPVS_CMD_NEW_SERVICE, IPVS_CMD_ATTR_SERVICE, "IPVS_CMD_ATTR_SERVICE");
    AddressFamily family = AddressFamily.ofCode(u16(svc, IPVS_SVC_ATTR_AF, "IPVS_SVC_ATTR_AF"));
    ServiceKey key;
    if (svc.has(IPVS_SVC_ATTR_FWMARK)) {
      key = new ServiceKey.ByMark(family, u32(svc, IPVS_SVC_ATTR_FWMARK, "IPVS_SVC_ATTR_FWMARK"));
    } else {
      key = new ServiceKey.ByAddress(
          Protocol.ofNumber(u16(svc, IPVS_SVC_ATTR_PROTOCOL, "IPVS_SVC_ATTR_PROTOCOL")),
          address(need(svc, IPVS_SVC_ATTR_ADDR, "IPVS_SVC_ATTR_ADDR"), family),
          need(svc, IPVS_SVC_ATTR_PORT, "IPVS_SVC_ATTR_PORT").be16());
    }
    Attribute flags = need(svc, IPVS_SVC_ATTR_FLAGS, "IPVS_SVC_ATTR_FLAGS");
    IpvsService service = new IpvsService(key,
        need(svc, IPVS_SVC_ATTR_SCHED_NAME, "IPVS_SVC_ATTR_SCHED_NAME").string(),
        flags.u32() & ~IP_VS_SVC_F_HASHED, // first u32 of struct ip_vs_flags
        u32(svc, IPVS_SVC_ATTR_TIMEOUT, "IPVS_SVC_ATTR_TIMEOUT"),
        netmask(need(svc, IPVS_SVC_ATTR_NETMASK, "IPVS_SVC_ATTR_NETMASK"), family),
        svc.string(IPVS_SVC_ATTR_PE_NAME).orElse(""));
    return new ServiceWithStats(service, stats(svc, IPVS_SVC_ATTR_STATS64, IPVS_SVC_ATTR_STATS));
  }

  /**
   * A destination from IPVS_CMD_NEW_DEST. Kernels before 3.18 send no IPVS_DEST_ATTR_ADDR_FAMILY;
   * the destination then has the service's family, {@code serviceFamily}.
   */
  public static DestinationWithStats destination(Message m, AddressFamily serviceFamily) {
    Attributes d = top(m, IPVS_CMD_NEW_DEST, IPVS_CMD_ATTR_DEST, "IPVS_CMD_ATTR_DEST");
    AddressFamily family = d.has(IPVS_DEST_ATTR_ADDR_FAMILY)
        ? AddressFamily.ofCode(u16(d, IPVS_DEST_ATTR_ADDR_FAMILY, "IPVS_DEST_ATTR_ADDR_FAMILY"))
        : serviceFamily;
    IpvsDestination dest = new IpvsDestination(
        address(need(d, IPVS_DEST_ATTR_ADDR, "IPVS_DEST_ATTR_ADDR"), family),
        need(d, IPVS_DEST_ATTR_PORT, "IPVS_DEST_ATTR_PORT").be16(),
        ForwardingMethod.ofCode(u32(d, IPVS_DEST_ATTR_FWD_METHOD, "IPVS_DEST_ATTR_FWD_METHOD")),
        u32(d, IPVS_DEST_ATTR_WEIGHT, "IPVS_DEST_ATTR_WEIGHT"),
        u32(d, IPVS_DEST_ATTR_U_THRESH, "IPVS_DEST_ATTR_U_THRESH"),
        u32(d, IPVS_DEST_ATTR_L_THRESH, "IPVS_DEST_ATTR_L_THRESH"));
    return new DestinationWithStats(dest,
        u32(d, IPVS_DEST_ATTR_ACTIVE_CONNS, "IPVS_DEST_ATTR_ACTIVE_CONNS"),
        u32(d, IPVS_DEST_ATTR_INACT_CONNS, "IPVS_DEST_ATTR_INACT_CONNS"),
        u32(d, IPVS_DEST_ATTR_PERSIST_CONNS, "IPVS_DEST_ATTR_PERSIST_CONNS"),
        stats(d, IPVS_DEST_ATTR_STATS64, IPVS_DEST_ATTR_STATS));
  }

  /**
   * The timeouts from IPVS_CMD_SET_CONFIG. A kernel built without IPVS TCP (or UDP) support
   * leaves those attributes out; they read as 0.
   */
  public static IpvsTimeouts timeouts(Message m) {
    Attributes a = attributes(m, IPVS_CMD_SET_CONFIG);
    return new IpvsTimeouts(a.u32(IPVS_CMD_ATTR_TIMEOUT_TCP).orElse(0),
        a.u32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN).orElse(0), a.u32(IPVS_CMD_ATTR_TIMEOUT_UDP).orElse(0));
  }

  /**
   * The counters: STATS64 when the kernel sends it (4.1 and later), else STATS. Each counter is
   * read by its size (u32 or u64), so both nests decode the same way; IPVS_STATS_ATTR_PAD
   * (an alignment filler) is skipped with the other unknown attributes.
   */
  static IpvsStats stats(Attributes parent, int stats64, int stats32) {
    Attributes s = parent.nested(stats64).or(() -> parent.nested(stats32)).orElse(null);
    if (s == null) {
      return IpvsStats.ZERO;
    }
    return new IpvsStats(counter(s, IPVS_STATS_ATTR_CONNS), counter(s, IPVS_STATS_ATTR_INPKTS),
        counter(s, IPVS_STATS_ATTR_OUTPKTS), counter(s, IPVS_STATS_ATTR_INBYTES),
        counter(s, IPVS_STATS_ATTR_OUTBYTES), counter(s, IPVS_STATS_ATTR_CPS),
        counter(s, IPVS_STATS_ATTR_INPPS), counter(s, IPVS_STATS_ATTR_OUTPPS),
        counter(s, IPVS_STATS_ATTR_INBPS), counter(s, IPVS_STATS_ATTR_OUTBPS));
  }

  private static long counter(Attributes s, int type) {
    return s.get(type).map(a -> switch (a.length()) {
      case 4 -> Integer.toUnsignedLong(a.u32());
      case 8 -> a.u64();
      default -> throw new IllegalStateException("IPVS_STATS_ATTR " + type + " has " + a.length()
          + " bytes, neither u32 nor u64");
    }).orElse(0L);
  }

  /** IPVS_SVC_ATTR_NETMASK back to a prefix length; see IpvsRequests for the two layouts. */
  private static int netmask(Attribute a, AddressFamily family) {
    if (family == AddressFamily.INET6) {
      return a.u32();
    }
    int mask = a.be32();
    int prefix = Integer.bitCount(mask);
    if (mask != (prefix == 0 ? 0 : -1 << (32 - prefix))) {
      throw new IllegalStateException("IPVS reported netmask 0x" + Integer.toHexString(mask) + ", not a prefix");
    }
    return prefix;
  }

  /** The first 4 or 16 bytes of a union nf_inet_addr (the kernel always sends all 16). */
  private static InetAddress address(Attribute a, AddressFamily family) {
    if (a.length() < family.addressLength()) {
      throw new IllegalStateException("IPVS address attribute " + a.type() + " has " + a.length()
          + " bytes, an " + family + " address needs " + family.addressLength());
    }
    try {
      return InetAddress.getByAddress(Arrays.copyOf(a.bytes(), family.addressLength()));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("IPVS address attribute " + a.type() + " is not an address", e);
    }
  }

  private static Attributes top(Message m, int cmd, int attr, String attrName) {
    Attributes a = attributes(m, cmd);
    return a.nested(attr).orElseThrow(() -> new IllegalStateException(
        "IPVS message (cmd " + cmd + ") without " + attrName));
  }

  private static Attributes attributes(Message m, int cmd) {
    ByteBuffer b = m.body().order(ByteOrder.nativeOrder());
    if (b.remaining() < GenericNetlink.GENL_HDRLEN) {
      throw new IllegalStateException("IPVS message of " + b.remaining() + " bytes is shorter than genlmsghdr");
    }
    int got = b.get(0) & 0xff;
    if (got != cmd) {
      throw new IllegalStateException("expected IPVS command " + cmd + " from the kernel, got " + got);
    }
    return m.attributes(GenericNetlink.GENL_HDRLEN);
  }

  private static Attribute need(Attributes a, int type, String name) {
    return a.get(type).orElseThrow(() -> new IllegalStateException("IPVS reply without " + name));
  }

  private static int u16(Attributes a, int type, String name) {
    return need(a, type, name).u16();
  }

  private static int u32(Attributes a, int type, String name) {
    return need(a, type, name).u32();
  }
}
