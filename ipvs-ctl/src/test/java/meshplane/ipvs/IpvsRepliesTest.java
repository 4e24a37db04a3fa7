package meshplane.ipvs;

import static meshplane.ipvs.Golden.hex;
import static meshplane.ipvs.Golden.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import meshplane.netlink.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Replies written out by hand in the shape ip_vs_ctl.c gives them (ip_vs_genl_fill_service,
 * _fill_dest, _fill_stats, _fill_stats64, the GET_CONFIG answer): nests without NLA_F_NESTED,
 * 16-byte addresses, attributes a newer kernel adds (TUN_*) in between.
 */
@Tag("unit")
class IpvsRepliesTest {

  /** A dump part for tcp 10.0.0.2:80 rr, persistent 300 s, with both stats nests. */
  private static final byte[] SERVICE_TCP = hex(
      "40 01 00 00  26 00 02 00  01 00 00 00  00 00 00 00", // nlmsghdr: 320 bytes, NLM_F_MULTI
      "01 01 00 00",                                        // IPVS_CMD_NEW_SERVICE, version 1
      "2c 01 01 00",                                        // IPVS_CMD_ATTR_SERVICE (no NLA_F_NESTED), 300 bytes
      "06 00 01 00  02 00 00 00",                           //   AF AF_INET
      "06 00 02 00  06 00 00 00",                           //   PROTOCOL tcp
      "14 00 03 00  0a 00 00 02  00 00 00 00  00 00 00 00  00 00 00 00", // ADDR 10.0.0.2
      "06 00 04 00  00 50 00 00",                           //   PORT 80
      "07 00 06 00  72 72 00 00",                           //   SCHED_NAME "rr"
      "0c 00 07 00  03 00 00 00  ff ff ff ff",              //   FLAGS {PERSISTENT|HASHED, ~0}
      "08 00 08 00  2c 01 00 00",                           //   TIMEOUT 300
      "08 00 09 00  ff ff ff ff",                           //   NETMASK /32
      "5c 00 0a 00",                                        //   STATS, 92 bytes
      "08 00 01 00  05 00 00 00",                           //     CONNS u32 5 (truncated)
      "08 00 02 00  64 00 00 00",                           //     INPKTS 100
      "08 00 03 00  50 00 00 00",                           //     OUTPKTS 80
      "0c 00 04 00  10 27 00 00  00 00 00 00",              //     INBYTES u64 10000
      "0c 00 05 00  20 4e 00 00  00 00 00 00",              //     OUTBYTES u64 20000
      "08 00 06 00  01 00 00 00",                           //     CPS 1
      "08 00 07 00  02 00 00 00",                           //     INPPS 2
      "08 00 08 00  03 00 00 00",                           //     OUTPPS 3
      "08 00 09 00  04 00 00 00",                           //     INBPS 4
      "08 00 0a 00  05 00 00 00",                           //     OUTBPS 5
      "7c 00 0c 00",                                        //   STATS64, 124 bytes
      "0c 00 01 00  05 00 00 00  01 00 00 00",              //     CONNS u64 0x100000005
      "0c 00 02 00  64 00 00 00  00 00 00 00",              //     INPKTS 100
      "0c 00 03 00  50 00 00 00  00 00 00 00",              //     OUTPKTS 80
      "0c 00 04 00  10 27 00 00  00 00 00 00",              //     INBYTES 10000
      "0c 00 05 00  20 4e 00 00  00 00 00 00",              //     OUTBYTES 20000
      "0c 00 06 00  01 00 00 00  00 00 00 00",              //     CPS 1
      "0c 00 07 00  02 00 00 00  00 00 00 00",              //     INPPS 2
      "0c 00 08 00  03 00 00 00  00 00 00 00",              //     OUTPPS 3
      "0c 00 09 00  04 00 00 00  00 00 00 00",              //     INBPS 4
      "0c 00 0a 00  05 00 00 00  00 00 00 00");             //     OUTBPS 5

  /** An IPv6 fwmark service with a persistence engine, an attribute from the future, old STATS only. */
  private static final byte[] SERVICE_MARK6 = hex(
      "68 00 00 00  26 00 02 00  01 00 00 00  00 00 00 00", // nlmsghdr: 104 bytes
      "01 01 00 00",                                        // IPVS_CMD_NEW_SERVICE
      "54 00 01 00",                                        // IPVS_CMD_ATTR_SERVICE, 84 bytes
      "06 00 01 00  0a 00 00 00",                           //   AF AF_INET6
      "08 00 05 00  00 01 00 00",                           //   FWMARK 0x100
      "08 00 06 00  77 72 72 00",                           //   SCHED_NAME "wrr"
      "08 00 0b 00  73 69 70 00",                           //   PE_NAME "sip"
      "0c 00 07 00  02 00 00 00  ff ff ff ff",              //   FLAGS {HASHED, ~0}
      "08 00 08 00  00 00 00 00",                           //   TIMEOUT 0
      "08 00 09 00  40 00 00 00",                           //   NETMASK: IPv6, host-order prefix 64
      "08 00 0d 00  de ad be ef",                           //   type 13: unknown here, skipped
      "0c 00 0a 00",                                        //   STATS, 12 bytes
      "08 00 01 00  07 00 00 00");                          //     CONNS 7

  /** A dump part for destination 10.0.1.5:8080 as kernels since 5.3 send it. */
  private static final byte[] DEST = hex(
      "a8 00 00 00  26 00 02 00  02 00 00 00  00 00 00 00", // nlmsghdr: 168 bytes, NLM_F_MULTI
      "05 01 00 00",                                        // IPVS_CMD_NEW_DEST
      "94 00 02 00",                                        // IPVS_CMD_ATTR_DEST, 148 bytes
      "14 00 01 00  0a 00 01 05  00 00 00 00  00 00 00 00  00 00 00 00", // ADDR 10.0.1.5
      "06 00 02 00  1f 90 00 00",                           //   PORT 8080
      "08 00 03 00  00 00 00 00",                           //   FWD_METHOD masquerade
      "08 00 04 00  03 00 00 00",                           //   WEIGHT 3
      "05 00 0d 00  00 00 00 00",                           //   TUN_TYPE u8 0
      "06 00 0e 00  00 00 00 00",                           //   TUN_PORT 0
      "06 00 0f 00  00 00 00 00",                           //   TUN_FLAGS 0
      "08 00 05 00  64 00 00 00",                           //   U_THRESH 100
      "08 00 06 00  0a 00 00 00",                           //   L_THRESH 10
      "08 00 07 00  02 00 00 00",                           //   ACTIVE_CONNS 2
      "08 00 08 00  01 00 00 00",                           //   INACT_CONNS 1
      "08 00 09 00  00 00 00 00",                           //   PERSIST_CONNS 0
      "06 00 0b 00  02 00 00 00",                           //   ADDR_FAMILY AF_INET
      "1c 00 0c 00",                                        //   STATS64, 28 bytes
      "0c 00 01 00  09 00 00 00  00 00 00 00",              //     CONNS 9
      "0c 00 04 00  00 10 00 00  00 00 00 00");             //     INBYTES 4096

  /** A destination from a kernel before 3.18: no ADDR_FAMILY (the service's is meant), no stats. */
  private static final byte[] DEST_OLD_V6 = hex(
      "6c 00 00 00  26 00 02 00  02 00 00 00  00 00 00 00", // nlmsghdr: 108 bytes
      "05 01 00 00",                                        // IPVS_CMD_NEW_DEST
      "58 00 02 00",                                        // IPVS_CMD_ATTR_DEST, 88 bytes
      "14 00 01 00  fd 00 00 00  00 00 00 00  00 00 00 00  00 00 00 10", // ADDR fd00::10
      "06 00 02 00  00 50 00 00",                           //   PORT 80
      "08 00 03 00  03 00 00 00",                           //   FWD_METHOD direct routing
      "08 00 04 00  01 00 00 00",                           //   WEIGHT 1
      "08 00 05 00  00 00 00 00",                           //   U_THRESH 0
      "08 00 06 00  00 00 00 00",                           //   L_THRESH 0
      "08 00 07 00  00 00 00 00",                           //   ACTIVE_CONNS 0
      "08 00 08 00  00 00 00 00",                           //   INACT_CONNS 0
      "08 00 09 00  00 00 00 00");                          //   PERSIST_CONNS 0

  /** The answer to IPVS_CMD_GET_CONFIG. */
  private static final byte[] CONFIG = hex(
      "2c 00 00 00  26 00 00 00  03 00 00 00  00 00 00 00", // nlmsghdr: 44 bytes
      "0c 01 00 00",                                        // IPVS_CMD_SET_CONFIG
      "08 00 04 00  84 03 00 00",                           // TIMEOUT_TCP 900
      "08 00 05 00  78 00 00 00",                           // TIMEOUT_TCP_FIN 120
      "08 00 06 00  2c 01 00 00");                          // TIMEOUT_UDP 300

  @Test
  void serviceByAddressWithStats64PreferredAndHashedDropped() {
    ServiceWithStats s = IpvsReplies.service(message(SERVICE_TCP));
    assertEquals(IpvsService.of(ServiceKey.tcp("10.0.0.2", 80), "rr").persistent(300), s.service());
    assertEquals(new IpvsStats(0x100000005L, 100, 80, 10000, 20000, 1, 2, 3, 4, 5), s.stats());
  }

  @Test
  void ipv6MarkServiceWithPersistenceEngineAndOldStats() {
    ServiceWithStats s = IpvsReplies.service(message(SERVICE_MARK6));
    assertEquals(new IpvsService(new ServiceKey.ByMark(AddressFamily.INET6, 0x100), "wrr", 0, 0, 64, "sip"),
        s.service());
    assertEquals(new IpvsStats(7, 0, 0, 0, 0, 0, 0, 0, 0, 0), s.stats());
    assertEquals("fwmark 0x100 inet6", s.service().key().toString());
  }

  @Test
  void destinationWithTunnelAttributesAndCounts() {
    DestinationWithStats d = IpvsReplies.destination(message(DEST), AddressFamily.INET);
    assertEquals(new IpvsDestination(IpPrefix.literal("10.0.1.5", "t"), 8080, ForwardingMethod.MASQUERADE, 3, 100, 10),
        d.destination());
    assertEquals(2, d.activeConnections());
    assertEquals(1, d.inactiveConnections());
    assertEquals(0, d.persistentConnections());
    assertEquals(new IpvsStats(9, 0, 0, 4096, 0, 0, 0, 0, 0, 0), d.stats());
  }

  @Test
  void destinationWithoutFamilyTakesTheServices() {
    DestinationWithStats d = IpvsReplies.destination(message(DEST_OLD_V6), AddressFamily.INET6);
    assertEquals(new IpvsDestination(IpPrefix.literal("fd00::10", "t"), 80, ForwardingMethod.ROUTE, 1, 0, 0),
        d.destination());
    assertEquals(IpvsStats.ZERO, d.stats());
  }

  @Test
  void timeouts() {
    assertEquals(new IpvsTimeouts(900, 120, 300), IpvsReplies.timeouts(message(CONFIG)));
  }

  @Test
  void aMissingAttributeIsNamed() {
    byte[] noSched = hex(
        "28 00 00 00  26 00 02 00  01 00 00 00  00 00 00 00",
        "01 01 00 00",
        "14 00 01 00",                                      // IPVS_CMD_ATTR_SERVICE, 20 bytes
        "06 00 01 00  02 00 00 00",                         //   AF
        "08 00 05 00  00 01 00 00");                        //   FWMARK, and nothing else
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> IpvsReplies.service(message(noSched)));
    assertTrue(e.getMessage().contains("IPVS_SVC_ATTR_FLAGS"), e.getMessage());
  }

  @Test
  void aReplyToAnotherCommandIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> IpvsReplies.service(message(DEST)));
    assertEquals("expected IPVS command 1 from the kernel, got 5", e.getMessage());
  }

  @Test
  void aShortAddressIsAnError() {
    byte[] shortAddr = hex(
        "30 00 00 00  26 00 02 00  02 00 00 00  00 00 00 00",
        "05 01 00 00",
        "1c 00 02 00",                                      // IPVS_CMD_ATTR_DEST, 28 bytes
        "06 00 0b 00  0a 00 00 00",                         //   ADDR_FAMILY AF_INET6
        "08 00 01 00  fd 00 00 00",                         //   ADDR: 4 bytes, not 16
        "06 00 02 00  00 50 00 00");                        //   PORT 80
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> IpvsReplies.destination(message(shortAddr), AddressFamily.INET6));
    assertTrue(e.getMessage().contains("has 4 bytes"), e.getMessage());
  }
}
