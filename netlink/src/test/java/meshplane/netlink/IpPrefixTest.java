package meshplane.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Prefixes as {@code ip addr} and {@code ip route} write them. */
@Tag("unit")
class IpPrefixTest {

  private static InetAddress ip(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }

  @Test
  void parseKeepsTheHostBits() throws Exception {
    IpPrefix p = IpPrefix.parse("10.0.0.2/24");
    assertEquals(ip("10.0.0.2"), p.address());
    assertEquals(24, p.length());
    assertTrue(p.isIpv4());
    assertEquals("10.0.0.2/24", p.toString());
  }

  @Test
  void aBareAddressIsAHostPrefix() {
    assertEquals(32, IpPrefix.parse("198.18.0.1").length());
    assertEquals(128, IpPrefix.parse("fd00::1").length());
  }

  @Test
  void networkClearsTheHostBits() {
    assertEquals(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("10.0.0.2/24").network());
    assertEquals(IpPrefix.parse("198.18.0.0/15"), IpPrefix.parse("198.19.255.255/15").network());
    assertEquals(IpPrefix.parse("10.1.2.0/23"), IpPrefix.parse("10.1.3.7/23").network());
    assertEquals(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("203.0.113.9/0").network());
    assertEquals(IpPrefix.parse("10.0.0.7/32"), IpPrefix.parse("10.0.0.7/32").network());
    assertEquals(IpPrefix.parse("fd00:1::/64"), IpPrefix.parse("fd00:1::abcd:1/64").network());
    assertEquals(IpPrefix.parse("fc00::/7"), IpPrefix.parse("fdff::1/7").network());
  }

  @Test
  void containsChecksTheNetworkPart() throws Exception {
    IpPrefix underlay = IpPrefix.parse("198.18.0.0/15");
    assertTrue(underlay.contains(ip("198.18.0.1")));
    assertTrue(underlay.contains(ip("198.19.255.254")));
    assertFalse(underlay.contains(ip("198.20.0.1")));
    assertFalse(underlay.contains(ip("198.17.255.255")));
    assertTrue(IpPrefix.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
    assertFalse(IpPrefix.parse("0.0.0.0/0").contains(ip("::1")), "an IPv6 address is in no IPv4 prefix");
    assertTrue(IpPrefix.parse("fd00::/8").contains(ip("fd12::3")));
  }

  @Test
  void badLengthsNameTheRule() {
    IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.1/33"));
    assertEquals("prefix length 33 of 10.0.0.1 must be between 0 and 32", tooLong.getMessage());
    IllegalArgumentException v6 = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("fd00::1/129"));
    assertTrue(v6.getMessage().contains("between 0 and 128"), v6.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.1/-1"));
    assertTrue(negative.getMessage().contains("between 0 and 32"), negative.getMessage());
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.1/x"));
    assertEquals("prefix \"10.0.0.1/x\" has a prefix length that is not a number", nan.getMessage());
  }

  @Test
  void namesAreRefusedNotResolved() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("example.com/24"));
    assertEquals("\"example.com/24\" is not an IP address", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("/24"));
    assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse(""));
    // Hex letters and dots only: a name the resolver would look up, refused before any lookup.
    IllegalArgumentException hexName = assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("dead.beef/16"));
    assertEquals("\"dead.beef/16\" is not an IP address", hexName.getMessage());
    assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("10.0.0.256/24"));
  }
}
