package meshplane.ipvs;

import static meshplane.ipvs.IpvsNl.*;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.Nlmsg;
import meshplane.netlink.genl.GenericNetlink;

/**
 * Encodes every request {@link Ipvs} sends, so each can be checked byte for byte. The family id is
 * the one the genl controller gave for "IPVS" in the namespace (it differs between kernels and
 * boots). Flags are set here as they go on the wire: REQUEST|ACK for commands and single GETs,
 * REQUEST|DUMP for dumps; the socket fills in the sequence number and port id.
 *
 * <p>Addresses are sent as the 16-byte {@code union nf_inet_addr}, as ipvsadm sends them and the
 * kernel reports them. A service command carries only the key attributes (AF and FWMARK, or AF,
 * PROTOCOL, ADDR, PORT) except NEW/SET_SERVICE, which the kernel refuses with EINVAL unless
 * SCHED_NAME, FLAGS, TIMEOUT and NETMASK are there too.
 */
public final class IpvsRequests {
  private static final int ACKED = Nlmsg.NLM_F_REQUEST | Nlmsg.NLM_F_ACK;
  private static final int DUMP = Nlmsg.NLM_F_REQUEST | Nlmsg.NLM_F_DUMP;

  private final int familyId;

  public IpvsRequests(int familyId) {
    this.familyId = familyId;
  }

  /** IPVS_CMD_NEW_SERVICE: {@code ipvsadm -A}. */
  public MessageBuilder newService(IpvsService service) {
    return fullService(IPVS_CMD_NEW_SERVICE, service);
  }

  /** IPVS_CMD_SET_SERVICE: {@code ipvsadm -E}. */
  public MessageBuilder setService(IpvsService service) {
    return fullService(IPVS_CMD_SET_SERVICE, service);
  }

  /** IPVS_CMD_DEL_SERVICE: {@code ipvsadm -D}; the kernel removes the destinations with it. */
  public MessageBuilder delService(ServiceKey key) {
    return withKey(request(IPVS_CMD_DEL_SERVICE, ACKED), key);
  }

  /** IPVS_CMD_GET_SERVICE of one service: answered by one IPVS_CMD_NEW_SERVICE, or ESRCH. */
  public MessageBuilder getService(ServiceKey key) {
    return withKey(request(IPVS_CMD_GET_SERVICE, ACKED), key);
  }

  /** IPVS_CMD_GET_SERVICE as a dump with no attributes: every service of the namespace. */
  public MessageBuilder dumpServices() {
    return request(IPVS_CMD_GET_SERVICE, DUMP);
  }

  /** IPVS_CMD_NEW_DEST: {@code ipvsadm -a}. */
  public MessageBuilder newDestination(ServiceKey key, IpvsDestination dest) {
    return fullDestination(IPVS_CMD_NEW_DEST, key, dest);
  }

  /** IPVS_CMD_SET_DEST: {@code ipvsadm -e}. */
  public MessageBuilder setDestination(ServiceKey key, IpvsDestination dest) {
    return fullDestination(IPVS_CMD_SET_DEST, key, dest);
  }

  /** IPVS_CMD_DEL_DEST: {@code ipvsadm -d}; only the destination's address and port identify it. */
  public MessageBuilder delDestination(ServiceKey key, InetAddress address, int port) {
    MessageBuilder m = withKey(request(IPVS_CMD_DEL_DEST, ACKED), key);
    int dest = m.beginNested(IPVS_CMD_ATTR_DEST);
    destinationKey(m, address, port);
    return m.endNested(dest);
  }

  /** IPVS_CMD_GET_DEST as a dump: the destinations of one service. */
  public MessageBuilder dumpDestinations(ServiceKey key) {
    return withKey(request(IPVS_CMD_GET_DEST, DUMP), key);
  }

  /** IPVS_CMD_FLUSH: {@code ipvsadm -C}, every service and destination of the namespace. */
  public MessageBuilder flush() {
    return request(IPVS_CMD_FLUSH, ACKED);
  }

  /** IPVS_CMD_GET_CONFIG: answered by IPVS_CMD_SET_CONFIG with the three timeouts. */
  public MessageBuilder getConfig() {
    return request(IPVS_CMD_GET_CONFIG, ACKED);
  }

  /** IPVS_CMD_SET_CONFIG: {@code ipvsadm --set TCP TCPFIN UDP}; a 0 leaves that timeout unchanged. */
  public MessageBuilder setConfig(IpvsTimeouts t) {
    return request(IPVS_CMD_SET_CONFIG, ACKED)
        .attrU32(IPVS_CMD_ATTR_TIMEOUT_TCP, t.tcp())
        .attrU32(IPVS_CMD_ATTR_TIMEOUT_TCP_FIN, t.tcpFin())
        .attrU32(IPVS_CMD_ATTR_TIMEOUT_UDP, t.udp());
  }

  private MessageBuilder request(int cmd, int flags) {
    return GenericNetlink.request(familyId, cmd, IPVS_GENL_VERSION, flags);
  }

  private MessageBuilder fullService(int cmd, IpvsService s) {
    MessageBuilder m = request(cmd, ACKED);
    int svc = m.beginNested(IPVS_CMD_ATTR_SERVICE);
    keyAttributes(m, s.key());
    m.attrString(IPVS_SVC_ATTR_SCHED_NAME, s.scheduler());
    if (!s.persistenceEngine().isEmpty()) {
      m.attrString(IPVS_SVC_ATTR_PE_NAME, s.persistenceEngine());
    }
    // struct ip_vs_flags { u32 flags; u32 mask; }: mask ~0, the flags replace the service's own
    m.attr(IPVS_SVC_ATTR_FLAGS, flagsStruct(s.flags()));
    m.attrU32(IPVS_SVC_ATTR_TIMEOUT, s.timeoutSeconds());
    netmask(m, s.key().family(), s.netmask());
    return m.endNested(svc);
  }

  private static byte[] flagsStruct(int flags) {
    return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(flags).putInt(~0).array();
  }

  /**
   * IPVS_SVC_ATTR_NETMASK is a __be32: for IPv4 the mask itself in network order (/24 is
   * ff ff ff 00); for IPv6 the kernel reads the same four bytes as a host-order prefix length.
   */
  private static void netmask(MessageBuilder m, AddressFamily family, int prefix) {
    if (family == AddressFamily.INET) {
      m.attrBe32(IPVS_SVC_ATTR_NETMASK, prefix == 0 ? 0 : -1 << (32 - prefix));
    } else {
      m.attrU32(IPVS_SVC_ATTR_NETMASK, prefix);
    }
  }

  private static MessageBuilder withKey(MessageBuilder m, ServiceKey key) {
    int svc = m.beginNested(IPVS_CMD_ATTR_SERVICE);
    keyAttributes(m, key);
    return m.endNested(svc);
  }

  private static void keyAttributes(MessageBuilder m, ServiceKey key) {
    m.attrU16(IPVS_SVC_ATTR_AF, key.family().code());
    if (key instanceof ServiceKey.ByMark mark) {
      m.attrU32(IPVS_SVC_ATTR_FWMARK, mark.mark());
    } else if (key instanceof ServiceKey.ByAddress a) {
      m.attrU16(IPVS_SVC_ATTR_PROTOCOL, a.protocol().number());
      m.attr(IPVS_SVC_ATTR_ADDR, nfInetAddr(a.address()));
      m.attrBe16(IPVS_SVC_ATTR_PORT, a.port());
    }
  }

  private MessageBuilder fullDestination(int cmd, ServiceKey key, IpvsDestination d) {
    MessageBuilder m = withKey(request(cmd, ACKED), key);
    int dest = m.beginNested(IPVS_CMD_ATTR_DEST);
    destinationKey(m, d.address(), d.port());
    m.attrU32(IPVS_DEST_ATTR_FWD_METHOD, d.method().code());
    m.attrU32(IPVS_DEST_ATTR_WEIGHT, d.weight());
    m.attrU32(IPVS_DEST_ATTR_U_THRESH, d.upperThreshold());
    m.attrU32(IPVS_DEST_ATTR_L_THRESH, d.lowerThreshold());
    return m.endNested(dest);
  }

  private static void destinationKey(MessageBuilder m, InetAddress address, int port) {
    ServiceKey.checkPort(port, "destination port");
    m.attrU16(IPVS_DEST_ATTR_ADDR_FAMILY, AddressFamily.of(address).code());
    m.attr(IPVS_DEST_ATTR_ADDR, nfInetAddr(address));
    m.attrBe16(IPVS_DEST_ATTR_PORT, port);
  }

  /** union nf_inet_addr: 16 bytes, an IPv4 address in the first four and zeros after. */
  static byte[] nfInetAddr(InetAddress address) {
    return Arrays.copyOf(address.getAddress(), NF_INET_ADDR_LEN);
  }
}
