package meshplane.ipvs;

import static meshplane.ipvs.Golden.assertBytes;
import static meshplane.ipvs.Golden.hex;

import java.net.InetAddress;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MessageBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every request the client sends, against bytes written out by hand from the layout of
 * {@code <linux/ip_vs.h>} and {@code <linux/netlink.h>} (x86-64: host order is little endian).
 * The family id is fixed at 0x26 and the sequence number and port id at 0 (the socket sets them).
 *
 * <pre>
 * nlmsghdr:   u32 len | u16 type (family id) | u16 flags (0x0005 REQUEST|ACK, 0x0301 REQUEST|DUMP) | u32 seq | u32 pid
 * genlmsghdr: u8 cmd | u8 version (1) | u16 reserved
 * nlattr:     u16 len (header included, padding not) | u16 type (0x8000 = NLA_F_NESTED) | value | pad to 4
 * </pre>
 */
@Tag("unit")
class IpvsRequestsTest {
  private static final int FAMILY = 0x26;
  private static final IpvsRequests REQ = new IpvsRequests(FAMILY);

  private static final ServiceKey TCP_80 = ServiceKey.tcp("10.0.0.2", 80);
  private static final ServiceKey MARK_256 = ServiceKey.fwmark(0x100);

  // the identifying attributes of tcp 10.0.0.2:80 inside IPVS_CMD_ATTR_SERVICE (44 bytes)
  private static final String[] TCP_80_KEY = {
      "06 00 01 00  02 00 00 00",                          // IPVS_SVC_ATTR_AF u16 AF_INET, pad
      "06 00 02 00  06 00 00 00",                          // IPVS_SVC_ATTR_PROTOCOL u16 IPPROTO_TCP, pad
      "14 00 03 00  0a 00 00 02  00 00 00 00  00 00 00 00  00 00 00 00", // IPVS_SVC_ATTR_ADDR nf_inet_addr 10.0.0.2
      "06 00 04 00  00 50 00 00"};                         // IPVS_SVC_ATTR_PORT be16 80, pad

  // the identifying attributes of fwmark 0x100 (16 bytes)
  private static final String[] MARK_256_KEY = {
      "06 00 01 00  02 00 00 00",                          // IPVS_SVC_ATTR_AF u16 AF_INET, pad
      "08 00 05 00  00 01 00 00"};                         // IPVS_SVC_ATTR_FWMARK u32 0x100

  private static byte[] bytes(MessageBuilder m) {
    return m.build(0, 0);
  }

  private static String[] join(String[]... parts) {
    return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
  }

  @Test
  void newServiceByAddress() {
    // ipvsadm -A -t 10.0.0.2:80 -s rr
    byte[] expected = hex(join(new String[] {
        "68 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 104 bytes, REQUEST|ACK
        "01 01 00 00",                                       // IPVS_CMD_NEW_SERVICE, version 1
        "54 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, nested, 84 bytes
        TCP_80_KEY, new String[] {
        "07 00 06 00  72 72 00 00",                          // IPVS_SVC_ATTR_SCHED_NAME "rr\0", pad
        "0c 00 07 00  00 00 00 00  ff ff ff ff",             // IPVS_SVC_ATTR_FLAGS {flags 0, mask ~0}
        "08 00 08 00  00 00 00 00",                          // IPVS_SVC_ATTR_TIMEOUT u32 0
        "08 00 09 00  ff ff ff ff"}));                       // IPVS_SVC_ATTR_NETMASK be32 255.255.255.255
    assertBytes(expected, bytes(REQ.newService(IpvsService.of(TCP_80, "rr"))), "new service tcp 10.0.0.2:80");
  }

  @Test
  void newServiceByIpv6Address() {
    // ipvsadm -A -u [fd00::53]:53 -s sh
    ServiceKey key = ServiceKey.udp("fd00::53", 53);
    byte[] expected = hex(
        "68 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 104 bytes, REQUEST|ACK
        "01 01 00 00",                                       // IPVS_CMD_NEW_SERVICE, version 1
        "54 00 01 80",                                       // IPVS_CMD_ATTR_SERVICE, nested, 84 bytes
        "06 00 01 00  0a 00 00 00",                          // IPVS_SVC_ATTR_AF u16 AF_INET6
        "06 00 02 00  11 00 00 00",                          // IPVS_SVC_ATTR_PROTOCOL u16 IPPROTO_UDP
        "14 00 03 00  fd 00 00 00  00 00 00 00  00 00 00 00  00 00 00 53", // IPVS_SVC_ATTR_ADDR fd00::53
        "06 00 04 00  00 35 00 00",                          // IPVS_SVC_ATTR_PORT be16 53
        "07 00 06 00  73 68 00 00",                          // IPVS_SVC_ATTR_SCHED_NAME "sh\0"
        "0c 00 07 00  00 00 00 00  ff ff ff ff",             // IPVS_SVC_ATTR_FLAGS {0, ~0}
        "08 00 08 00  00 00 00 00",                          // IPVS_SVC_ATTR_TIMEOUT 0
        "08 00 09 00  80 00 00 00");                         // IPVS_SVC_ATTR_NETMASK: IPv6 takes a host-order prefix, 128
    assertBytes(expected, bytes(REQ.newService(IpvsService.of(key, "sh"))), "new service udp [fd00::53]:53");
  }

  @Test
  void newServiceByMarkWithPersistenceEngine() {
    // ipvsadm -A -f 256 -s rr -p 60 --pe sip
    IpvsService s = new IpvsService(MARK_256, "rr", IpvsService.PERSISTENT, 60, 32, "sip");
    byte[] expected = hex(join(new String[] {
        "54 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 84 bytes, REQUEST|ACK
        "01 01 00 00",                                       // IPVS_CMD_NEW_SERVICE
        "40 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 64 bytes
        MARK_256_KEY, new String[] {
        "07 00 06 00  72 72 00 00",                          // IPVS_SVC_ATTR_SCHED_NAME "rr\0"
        "08 00 0b 00  73 69 70 00",                          // IPVS_SVC_ATTR_PE_NAME "sip\0"
        "0c 00 07 00  01 00 00 00  ff ff ff ff",             // IPVS_SVC_ATTR_FLAGS {PERSISTENT, ~0}
        "08 00 08 00  3c 00 00 00",                          // IPVS_SVC_ATTR_TIMEOUT 60
        "08 00 09 00  ff ff ff ff"}));                       // IPVS_SVC_ATTR_NETMASK /32
    assertBytes(expected, bytes(REQ.newService(s)), "new service fwmark 0x100");
  }

  @Test
  void setServiceByMark() {
    // ipvsadm -E -f 256 -s wrr -p 300 -M 255.255.255.0
    IpvsService s = new IpvsService(MARK_256, "wrr", IpvsService.PERSISTENT, 300, 24, "");
    byte[] expected = hex(join(new String[] {
        "4c 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 76 bytes, REQUEST|ACK
        "02 01 00 00",                                       // IPVS_CMD_SET_SERVICE
        "38 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 56 bytes
        MARK_256_KEY, new String[] {
        "08 00 06 00  77 72 72 00",                          // IPVS_SVC_ATTR_SCHED_NAME "wrr\0"
        "0c 00 07 00  01 00 00 00  ff ff ff ff",             // IPVS_SVC_ATTR_FLAGS {PERSISTENT, ~0}
        "08 00 08 00  2c 01 00 00",                          // IPVS_SVC_ATTR_TIMEOUT 300
        "08 00 09 00  ff ff ff 00"}));                       // IPVS_SVC_ATTR_NETMASK be32 255.255.255.0
    assertBytes(expected, bytes(REQ.setService(s)), "set service fwmark 0x100");
  }

  @Test
  void setServiceByAddress() {
    // ipvsadm -E -t 10.0.0.2:80 -s lc
    byte[] expected = hex(join(new String[] {
        "68 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 104 bytes
        "02 01 00 00",                                       // IPVS_CMD_SET_SERVICE
        "54 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 84 bytes
        TCP_80_KEY, new String[] {
        "07 00 06 00  6c 63 00 00",                          // IPVS_SVC_ATTR_SCHED_NAME "lc\0"
        "0c 00 07 00  00 00 00 00  ff ff ff ff",             // IPVS_SVC_ATTR_FLAGS {0, ~0}
        "08 00 08 00  00 00 00 00",                          // IPVS_SVC_ATTR_TIMEOUT 0
        "08 00 09 00  ff ff ff ff"}));                       // IPVS_SVC_ATTR_NETMASK /32
    assertBytes(expected, bytes(REQ.setService(IpvsService.of(TCP_80, "lc"))), "set service tcp 10.0.0.2:80");
  }

  @Test
  void delServiceByAddress() {
    // ipvsadm -D -t 10.0.0.2:80: the key only
    byte[] expected = hex(join(new String[] {
        "44 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 68 bytes
        "03 01 00 00",                                       // IPVS_CMD_DEL_SERVICE
        "30 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 48 bytes
        TCP_80_KEY));
    assertBytes(expected, bytes(REQ.delService(TCP_80)), "del service tcp 10.0.0.2:80");
  }

  @Test
  void delServiceByMark() {
    // ipvsadm -D -f 256
    byte[] expected = hex(join(new String[] {
        "28 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 40 bytes
        "03 01 00 00",                                       // IPVS_CMD_DEL_SERVICE
        "14 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 20 bytes
        MARK_256_KEY));
    assertBytes(expected, bytes(REQ.delService(MARK_256)), "del service fwmark 0x100");
  }

  @Test
  void getServiceByMarkAndByAddress() {
    byte[] byMark = hex(join(new String[] {
        "28 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 40 bytes, REQUEST|ACK (not a dump)
        "04 01 00 00",                                       // IPVS_CMD_GET_SERVICE
        "14 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 20 bytes
        MARK_256_KEY));
    assertBytes(byMark, bytes(REQ.getService(MARK_256)), "get service fwmark 0x100");
    byte[] byAddress = hex(join(new String[] {
        "44 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 68 bytes
        "04 01 00 00",                                       // IPVS_CMD_GET_SERVICE
        "30 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 48 bytes
        TCP_80_KEY));
    assertBytes(byAddress, bytes(REQ.getService(TCP_80)), "get service tcp 10.0.0.2:80");
  }

  @Test
  void dumpServices() {
    // ipvsadm -Ln
    byte[] expected = hex(
        "14 00 00 00  26 00 01 03  00 00 00 00  00 00 00 00", // nlmsghdr: 20 bytes, REQUEST|ROOT|MATCH (dump)
        "04 01 00 00");                                      // IPVS_CMD_GET_SERVICE, no attributes
    assertBytes(expected, bytes(REQ.dumpServices()), "dump services");
  }

  @Test
  void newDestination() {
    // ipvsadm -a -t 10.0.0.2:80 -r 10.0.1.5:8080 -m -w 1
    byte[] expected = hex(join(new String[] {
        "8c 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 140 bytes
        "05 01 00 00",                                       // IPVS_CMD_NEW_DEST
        "30 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 48 bytes: the key only
        TCP_80_KEY, new String[] {
        "48 00 02 80",                                       // IPVS_CMD_ATTR_DEST, nested, 72 bytes
        "06 00 0b 00  02 00 00 00",                          // IPVS_DEST_ATTR_ADDR_FAMILY u16 AF_INET
        "14 00 01 00  0a 00 01 05  00 00 00 00  00 00 00 00  00 00 00 00", // IPVS_DEST_ATTR_ADDR 10.0.1.5
        "06 00 02 00  1f 90 00 00",                          // IPVS_DEST_ATTR_PORT be16 8080
        "08 00 03 00  00 00 00 00",                          // IPVS_DEST_ATTR_FWD_METHOD IP_VS_CONN_F_MASQ
        "08 00 04 00  01 00 00 00",                          // IPVS_DEST_ATTR_WEIGHT 1
        "08 00 05 00  00 00 00 00",                          // IPVS_DEST_ATTR_U_THRESH 0
        "08 00 06 00  00 00 00 00"}));                       // IPVS_DEST_ATTR_L_THRESH 0
    assertBytes(expected, bytes(REQ.newDestination(TCP_80, IpvsDestination.masquerade("10.0.1.5", 8080, 1))),
        "new dest 10.0.1.5:8080 of tcp 10.0.0.2:80");
  }

  @Test
  void setDestination() {
    // ipvsadm -e -f 256 -r 10.0.1.6:80 -g -w 0 -x 100 -y 10
    IpvsDestination d = new IpvsDestination(IpPrefix.literal("10.0.1.6", "test"), 80, ForwardingMethod.ROUTE, 0, 100, 10);
    byte[] expected = hex(join(new String[] {
        "70 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 112 bytes
        "06 01 00 00",                                       // IPVS_CMD_SET_DEST
        "14 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 20 bytes
        MARK_256_KEY, new String[] {
        "48 00 02 80",                                       // IPVS_CMD_ATTR_DEST, 72 bytes
        "06 00 0b 00  02 00 00 00",                          // IPVS_DEST_ATTR_ADDR_FAMILY AF_INET
        "14 00 01 00  0a 00 01 06  00 00 00 00  00 00 00 00  00 00 00 00", // IPVS_DEST_ATTR_ADDR 10.0.1.6
        "06 00 02 00  00 50 00 00",                          // IPVS_DEST_ATTR_PORT be16 80
        "08 00 03 00  03 00 00 00",                          // IPVS_DEST_ATTR_FWD_METHOD IP_VS_CONN_F_DROUTE
        "08 00 04 00  00 00 00 00",                          // IPVS_DEST_ATTR_WEIGHT 0 (drained)
        "08 00 05 00  64 00 00 00",                          // IPVS_DEST_ATTR_U_THRESH 100
        "08 00 06 00  0a 00 00 00"}));                       // IPVS_DEST_ATTR_L_THRESH 10
    assertBytes(expected, bytes(REQ.setDestination(MARK_256, d)), "set dest 10.0.1.6:80 of fwmark 0x100");
  }

  @Test
  void delDestination() throws Exception {
    // ipvsadm -d -t 10.0.0.2:80 -r 10.0.1.5:8080: the destination's key only
    byte[] expected = hex(join(new String[] {
        "6c 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 108 bytes
        "07 01 00 00",                                       // IPVS_CMD_DEL_DEST
        "30 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 48 bytes
        TCP_80_KEY, new String[] {
        "28 00 02 80",                                       // IPVS_CMD_ATTR_DEST, 40 bytes
        "06 00 0b 00  02 00 00 00",                          // IPVS_DEST_ATTR_ADDR_FAMILY AF_INET
        "14 00 01 00  0a 00 01 05  00 00 00 00  00 00 00 00  00 00 00 00", // IPVS_DEST_ATTR_ADDR 10.0.1.5
        "06 00 02 00  1f 90 00 00"}));                       // IPVS_DEST_ATTR_PORT be16 8080
    assertBytes(expected, bytes(REQ.delDestination(TCP_80, InetAddress.getByName("10.0.1.5"), 8080)),
        "del dest 10.0.1.5:8080 of tcp 10.0.0.2:80");
  }

  @Test
  void dumpDestinations() {
    // ipvsadm -Ln -t 10.0.0.2:80 (the destination part)
    byte[] expected = hex(join(new String[] {
        "44 00 00 00  26 00 01 03  00 00 00 00  00 00 00 00", // nlmsghdr: 68 bytes, dump
        "08 01 00 00",                                       // IPVS_CMD_GET_DEST
        "30 00 01 80"},                                      // IPVS_CMD_ATTR_SERVICE, 48 bytes
        TCP_80_KEY));
    assertBytes(expected, bytes(REQ.dumpDestinations(TCP_80)), "dump dests of tcp 10.0.0.2:80");
  }

  @Test
  void flush() {
    // ipvsadm -C
    assertBytes(hex(
        "14 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 20 bytes, REQUEST|ACK
        "11 01 00 00"),                                      // IPVS_CMD_FLUSH (17), no attributes
        bytes(REQ.flush()), "flush");
  }

  @Test
  void getConfig() {
    // ipvsadm -L --timeout
    assertBytes(hex(
        "14 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 20 bytes, REQUEST|ACK
        "0d 01 00 00"),                                      // IPVS_CMD_GET_CONFIG (13)
        bytes(REQ.getConfig()), "get config");
  }

  @Test
  void setConfig() {
    // ipvsadm --set 900 120 300
    assertBytes(hex(
        "2c 00 00 00  26 00 05 00  00 00 00 00  00 00 00 00", // nlmsghdr: 44 bytes
        "0c 01 00 00",                                       // IPVS_CMD_SET_CONFIG (12)
        "08 00 04 00  84 03 00 00",                          // IPVS_CMD_ATTR_TIMEOUT_TCP 900
        "08 00 05 00  78 00 00 00",                          // IPVS_CMD_ATTR_TIMEOUT_TCP_FIN 120
        "08 00 06 00  2c 01 00 00"),                         // IPVS_CMD_ATTR_TIMEOUT_UDP 300
        bytes(REQ.setConfig(new IpvsTimeouts(900, 120, 300))), "set config");
  }
}
