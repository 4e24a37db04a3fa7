package meshplane.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.KernelException;
import meshplane.netlink.Message;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.FreshNamespaces;
import meshplane.testkit.IpJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class RoutesKernelTest {

  private static InetAddress ip(String literal) {
    return IpPrefix.literal(literal, literal);
  }

  /** A veth pair mp-ra / mp-rb, both up, 10.0.0.2/24 on mp-ra: 10.0.0.0/24 is on-link. */
  private static void link(RtnlHandle h) {
    h.links().add(new LinkSpec.Veth("mp-ra", "mp-rb"));
    h.links().setUp("mp-ra");
    h.links().setUp("mp-rb");
    h.addresses().add("mp-ra", IpPrefix.parse("10.0.0.2/24"));
  }

  /** The route to {@code dst} per {@code ip -j -d [-6] route show [table T]}, or null. */
  private static JsonNode witness(NetNamespace ns, boolean ipv6, String table, IpPrefix dst) {
    JsonNode routes = ipv6 ? IpJson.ip(ns.name(), "-6", "route", "show", "table", table)
        : IpJson.ip(ns.name(), "route", "show", "table", table);
    for (JsonNode r : routes) {
      String d = r.path("dst").asText();
      if (d.equals("default") ? dst.length() == 0 : !d.equals("default") && dst.equals(IpPrefix.parse(d))) {
        return r;
      }
    }
    return null;
  }

  private static Route find(List<Route> routes, IpPrefix dst) {
    return routes.stream().filter(r -> r.destination().equals(dst)).findFirst().orElse(null);
  }

  @Test
  void defaultRouteViaGateway(RtnlHandle h) {
    link(h);
    h.routes().add(Route.defaultVia(ip("10.0.0.1")));

    JsonNode w = witness(h.namespace(), false, "main", Route.anyPrefix(true));
    assertNotNull(w, "ip route show lists a default route");
    assertEquals("10.0.0.1", w.path("gateway").asText());
    assertEquals("mp-ra", w.path("dev").asText(), "the kernel picks the on-link device");
    assertEquals("boot", w.path("protocol").asText());
    assertEquals("global", w.path("scope").asText());
    assertEquals("unicast", w.path("type").asText());

    Route listed = find(h.routes().list(Rtnl.AF_INET), Route.anyPrefix(true));
    assertNotNull(listed);
    assertTrue(listed.isDefault());
    assertEquals(ip("10.0.0.1"), listed.gateway());
    assertEquals(h.links().require("mp-ra").index(), listed.linkIndex());
    assertEquals("mp-ra", listed.linkName());
    assertEquals(Rtnl.RT_TABLE_MAIN, listed.table());
    assertEquals(Rtnl.RTPROT_BOOT, listed.protocol());
    assertEquals(Rtnl.RT_SCOPE_UNIVERSE, listed.scope());
    assertEquals(Rtnl.RTN_UNICAST, listed.type());

    h.routes().delete(listed);
    assertNull(witness(h.namespace(), false, "main", Route.anyPrefix(true)));
  }

  @Test
  void linkScopeRouteThroughADevice(RtnlHandle h) {
    link(h);
    IpPrefix dst = IpPrefix.parse("10.20.0.0/16");
    h.routes().add(Route.onLink(dst, "mp-ra"));

    JsonNode w = witness(h.namespace(), false, "main", dst);
    assertNotNull(w);
    assertEquals("mp-ra", w.path("dev").asText());
    assertEquals("link", w.path("scope").asText());
    assertTrue(w.path("gateway").isMissingNode(), w.toString());

    Route listed = find(h.routes().list(Rtnl.AF_INET), dst);
    assertEquals(Rtnl.RT_SCOPE_LINK, listed.scope());
    assertNull(listed.gateway());
    assertEquals("mp-ra", listed.linkName());

    h.routes().delete(Route.onLink(dst, "mp-ra"));
    assertNull(witness(h.namespace(), false, "main", dst));
  }

  @Test
  void routeWithSourceAndMetricThenReplaced(RtnlHandle h) {
    link(h);
    IpPrefix dst = IpPrefix.parse("10.9.0.0/16");
    Route r = Route.via(dst, ip("10.0.0.1")).withSource(ip("10.0.0.2")).withMetric(7);
    h.routes().add(r);

    JsonNode w = witness(h.namespace(), false, "main", dst);
    assertEquals("10.0.0.1", w.path("gateway").asText());
    assertEquals("10.0.0.2", w.path("prefsrc").asText());
    assertEquals(7, w.path("metric").asInt());
    Route listed = find(h.routes().list(Rtnl.AF_INET), dst);
    assertEquals(ip("10.0.0.2"), listed.source());
    assertEquals(7, listed.metric());

    h.routes().replace(Route.via(dst, ip("10.0.0.3")).withSource(ip("10.0.0.2")).withMetric(7));
    assertEquals("10.0.0.3", witness(h.namespace(), false, "main", dst).path("gateway").asText());
    assertEquals(1, h.routes().list(Rtnl.AF_INET).stream().filter(x -> x.destination().equals(dst)).count(),
        "replace leaves one route to the destination");
  }

  @Test
  void ipv6RouteWithMetric(RtnlHandle h) {
    link(h);
    IpPrefix dst = IpPrefix.parse("2001:db8:5::/64");
    h.routes().add(Route.onLink(dst, "mp-ra").withMetric(300));

    JsonNode w = witness(h.namespace(), true, "main", dst);
    assertNotNull(w, "ip -6 route show lists 2001:db8:5::/64");
    assertEquals("mp-ra", w.path("dev").asText());
    assertEquals(300, w.path("metric").asInt());
    Route listed = find(h.routes().list(Rtnl.AF_INET6), dst);
    assertEquals(300, listed.metric());
    assertEquals("mp-ra", listed.linkName());
    assertNull(find(h.routes().list(Rtnl.AF_INET), dst), "AF_INET lists no IPv6 route");

    h.routes().delete(listed);
    assertNull(witness(h.namespace(), true, "main", dst));
  }

  @Test
  void otherTableIsListedOnlyWhenAskedFor(RtnlHandle h) {
    link(h);
    IpPrefix dst = IpPrefix.parse("10.30.0.0/16");
    h.routes().add(Route.via(dst, ip("10.0.0.1")).withTable(100));
    assertNotNull(witness(h.namespace(), false, "100", dst));
    assertNull(witness(h.namespace(), false, "main", dst));
    assertEquals(100, find(h.routes().list(Rtnl.AF_INET, 100), dst).table());
    assertNull(find(h.routes().list(Rtnl.AF_INET), dst));
  }

  @Test
  void listMatchesIp(RtnlHandle h) {
    link(h);
    h.routes().add(Route.defaultVia(ip("10.0.0.1")));
    h.routes().add(Route.onLink(IpPrefix.parse("10.20.0.0/16"), "mp-rb"));
    h.routes().add(Route.via(IpPrefix.parse("10.40.1.1/32"), ip("10.0.0.1")));
    h.routes().add(Route.onLink(IpPrefix.parse("fd00:1::/64"), "mp-ra"));
    for (boolean v6 : new boolean[] {false, true}) {
      Set<String> witness = new HashSet<>();
      for (JsonNode r : v6 ? IpJson.ip(h.namespace().name(), "-6", "route", "show") : IpJson.ip(h.namespace().name(), "route", "show")) {
        String d = r.path("dst").asText();
        IpPrefix dst = d.equals("default") ? Route.anyPrefix(!v6) : IpPrefix.parse(d);
        witness.add(dst + " dev " + r.path("dev").asText());
      }
      Set<String> ours = new HashSet<>();
      h.routes().list(v6 ? Rtnl.AF_INET6 : Rtnl.AF_INET).forEach(r -> ours.add(r.destination() + " dev " + r.linkName()));
      assertEquals(witness, ours);
      assertTrue(ours.size() >= (v6 ? 2 : 4), ours.toString());
    }
  }

  @Test
  void aBatchRefusedPartlyNamesTheRouteRefusedAndTheOthersAreInstalled(RtnlHandle h) {
    link(h);
    int index = h.links().require("mp-ra").index();
    java.util.function.Function<String, Route> onIndex = p -> new Route(IpPrefix.parse(p), null, index, null,
        Rtnl.RT_TABLE_MAIN, Rtnl.RT_SCOPE_LINK, Rtnl.RTPROT_STATIC, Rtnl.RTN_UNICAST, null, 0);
    h.routes().addAll(java.util.List.of(onIndex.apply("10.51.0.0/16")));
    KernelException e = assertThrows(KernelException.class, () -> h.routes().addAll(java.util.List.of(
        onIndex.apply("10.50.0.0/16"), onIndex.apply("10.51.0.0/16"), onIndex.apply("10.52.0.0/16"))));
    assertEquals("EEXIST", e.errnoName());
    assertTrue(e.getMessage().contains("10.51.0.0/16"), "names the route refused: " + e.getMessage());
    for (String p : java.util.List.of("10.50.0.0/16", "10.51.0.0/16", "10.52.0.0/16")) {
      assertNotNull(witness(h.namespace(), false, "main", IpPrefix.parse(p)), p + " is installed (ip -j route)");
    }
  }

  @Test
  void errorsNameTheRouteAndErrno(RtnlHandle h) {
    link(h);
    String where = "in netns " + h.namespace().name();
    Route r = Route.onLink(IpPrefix.parse("10.20.0.0/16"), "mp-ra");
    h.routes().add(r);
    KernelException dup = assertThrows(KernelException.class, () -> h.routes().add(r));
    assertEquals("EEXIST", dup.errnoName());
    assertTrue(dup.getMessage().startsWith("add route 10.20.0.0/16 dev mp-ra table 254"), dup.getMessage());
    assertTrue(dup.getMessage().contains(where), dup.getMessage());

    KernelException gone = assertThrows(KernelException.class,
        () -> h.routes().delete(Route.onLink(IpPrefix.parse("10.21.0.0/16"), "mp-ra")));
    assertEquals("ESRCH", gone.errnoName());
    assertTrue(gone.getMessage().contains("10.21.0.0/16"), gone.getMessage());

    KernelException unreachable = assertThrows(KernelException.class,
        () -> h.routes().add(Route.defaultVia(ip("192.0.2.1"))));
    assertEquals("ENETUNREACH", unreachable.errnoName());
    assertTrue(unreachable.getMessage().contains("default via 192.0.2.1"), unreachable.getMessage());

    KernelException badSource = assertThrows(KernelException.class,
        () -> h.routes().add(Route.via(IpPrefix.parse("10.9.0.0/16"), ip("10.0.0.1")).withSource(ip("10.0.0.77"))));
    assertEquals("EINVAL", badSource.errnoName());
    assertTrue(badSource.getMessage().contains("src 10.0.0.77"), badSource.getMessage());

    h.links().setDown("mp-rb");
    h.links().setDown("mp-ra");
    KernelException down = assertThrows(KernelException.class,
        () -> h.routes().add(Route.onLink(IpPrefix.parse("10.50.0.0/16"), "mp-ra")));
    assertEquals("ENETDOWN", down.errnoName());

    KernelException noLink = assertThrows(KernelException.class,
        () -> h.routes().add(Route.onLink(IpPrefix.parse("10.50.0.0/16"), "mp-nothing")));
    assertEquals("ENODEV", noLink.errnoName());
    assertTrue(noLink.getMessage().contains("mp-nothing"), noLink.getMessage());
  }

  @Test
  void badRoutesAreRefusedBeforeTheKernel() {
    IllegalArgumentException hostBits = assertThrows(IllegalArgumentException.class,
        () -> Route.onLink(IpPrefix.parse("10.20.0.1/16"), "mp-ra"));
    assertTrue(hostBits.getMessage().contains("host bits"), hostBits.getMessage());
    IllegalArgumentException family = assertThrows(IllegalArgumentException.class,
        () -> Route.via(IpPrefix.parse("10.20.0.0/16"), ip("2001:db8::1")));
    assertTrue(family.getMessage().contains("gateway"), family.getMessage());
  }

  @Test
  void decodeIgnoresUnknownAttributes() {
    Route r = Route.via(IpPrefix.parse("10.9.0.0/16"), ip("10.0.0.1")).withSource(ip("10.0.0.2")).withMetric(5);
    MessageBuilder m = Routes.message(Rtnl.RTM_NEWROUTE, 0, r, 3);
    m.attr(250, new byte[] {9, 9, 9, 9, 9});
    Route decoded = Routes.parse(Message.split(ByteBuffer.wrap(m.build(1, 0))).get(0));
    assertEquals(new Route(r.destination(), r.gateway(), 3, null, Rtnl.RT_TABLE_MAIN, Rtnl.RT_SCOPE_UNIVERSE,
        Rtnl.RTPROT_BOOT, Rtnl.RTN_UNICAST, r.source(), 5), decoded);
    assertFalse(decoded.isDefault());
  }
}
