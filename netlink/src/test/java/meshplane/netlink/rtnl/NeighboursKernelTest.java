package meshplane.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import meshplane.netlink.MacAddress;
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
class NeighboursKernelTest {

  private static InetAddress ip(String literal) {
    return IpPrefix.literal(literal, literal);
  }

  /** The entry for {@code dst} per {@code ip -j neigh show nud all}, or null. */
  private static JsonNode witness(NetNamespace ns, InetAddress dst) {
    for (JsonNode n : IpJson.ip(ns.name(), "neigh", "show", "nud", "all")) {
      if (ip(n.path("dst").asText()).equals(dst)) {
        return n;
      }
    }
    return null;
  }

  private static int veth(RtnlHandle h) {
    h.links().add(new LinkSpec.Veth("mp-na", "mp-nb"));
    return h.links().require("mp-na").index();
  }

  @Test
  void permanentIpv4AndIpv6EntriesAreSeenByIpAndListed(RtnlHandle h) {
    int index = veth(h);
    Neighbour v4 = Neighbour.permanent(index, ip("10.0.0.9"), MacAddress.parse("02:42:0a:00:00:09"));
    Neighbour v6 = Neighbour.permanent(index, ip("2001:db8::9"), MacAddress.parse("02:42:0a:00:00:19"));
    h.neighbours().add(v4);
    h.neighbours().add(v6);

    for (Neighbour n : List.of(v4, v6)) {
      JsonNode w = witness(h.namespace(), n.ip());
      assertNotNull(w, "ip neigh show lists " + n.ip());
      assertEquals("mp-na", w.path("dev").asText());
      assertEquals(n.mac().toString(), w.path("lladdr").asText());
      assertEquals("[\"PERMANENT\"]", w.path("state").toString());
    }
    List<Neighbour> listed = h.neighbours().list("mp-na");
    assertTrue(listed.contains(v4), listed.toString());
    assertTrue(listed.contains(v6), listed.toString());

    h.neighbours().delete(v4);
    h.neighbours().delete(v6);
    assertNull(witness(h.namespace(), v4.ip()));
    assertNull(witness(h.namespace(), v6.ip()));
    assertTrue(h.neighbours().list("mp-na").isEmpty());
  }

  @Test
  void replaceChangesTheMacWhereAddRefuses(RtnlHandle h) {
    int index = veth(h);
    Neighbour first = Neighbour.permanent(index, ip("10.0.0.9"), MacAddress.parse("02:42:0a:00:00:09"));
    Neighbour moved = Neighbour.permanent(index, ip("10.0.0.9"), MacAddress.parse("02:42:0a:00:00:99"));
    h.neighbours().replace(first);
    KernelException dup = assertThrows(KernelException.class, () -> h.neighbours().add(moved));
    assertEquals("EEXIST", dup.errnoName());
    assertTrue(dup.getMessage().startsWith("add neighbour 10.0.0.9 lladdr 02:42:0a:00:00:99"), dup.getMessage());
    assertTrue(dup.getMessage().contains("in netns " + h.namespace().name()), dup.getMessage());

    h.neighbours().replace(moved);
    assertEquals("02:42:0a:00:00:99", witness(h.namespace(), ip("10.0.0.9")).path("lladdr").asText());
    assertEquals(List.of(moved), h.neighbours().list("mp-na"));
  }

  @Test
  void errorsNameTheEntryAndErrno(RtnlHandle h) {
    int index = veth(h);
    Neighbour absent = Neighbour.permanent(index, ip("10.0.0.10"), MacAddress.parse("02:42:0a:00:00:0a"));
    KernelException gone = assertThrows(KernelException.class, () -> h.neighbours().delete(absent));
    assertEquals("ENOENT", gone.errnoName());
    assertTrue(gone.getMessage().contains("neighbour 10.0.0.10"), gone.getMessage());
    assertTrue(gone.getMessage().contains("ifindex " + index), gone.getMessage());

    Neighbour noLink = Neighbour.permanent(9999, ip("10.0.0.11"), MacAddress.parse("02:42:0a:00:00:0b"));
    KernelException e = assertThrows(KernelException.class, () -> h.neighbours().add(noLink));
    assertEquals("ENODEV", e.errnoName());
    assertTrue(e.getMessage().contains("ifindex 9999"), e.getMessage());

    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> Neighbour.permanent(0, ip("10.0.0.12"), MacAddress.parse("02:42:0a:00:00:0c")));
    assertTrue(bad.getMessage().contains("link index"), bad.getMessage());
  }

  @Test
  void listMatchesIp(RtnlHandle h) {
    int index = veth(h);
    int peer = h.links().require("mp-nb").index();
    h.neighbours().add(Neighbour.permanent(index, ip("10.0.0.9"), MacAddress.parse("02:42:0a:00:00:09")));
    h.neighbours().add(Neighbour.permanent(peer, ip("10.0.0.8"), MacAddress.parse("02:42:0a:00:00:08")));
    h.neighbours().add(Neighbour.permanent(peer, ip("fd00::8"), MacAddress.parse("02:42:0a:00:00:18")));
    Set<String> witness = new HashSet<>();
    for (JsonNode n : IpJson.ip(h.namespace().name(), "neigh", "show", "nud", "all")) {
      witness.add(ip(n.path("dst").asText()).getHostAddress() + " " + n.path("lladdr").asText());
    }
    Set<String> ours = new HashSet<>();
    h.neighbours().list().forEach(n -> ours.add(n.ip().getHostAddress() + " " + n.mac()));
    assertEquals(witness, ours);
    assertEquals(3, ours.size(), ours.toString());
  }

  @Test
  void decodeIgnoresUnknownAttributes() {
    Neighbour n = Neighbour.permanent(4, ip("10.0.0.9"), MacAddress.parse("02:42:0a:00:00:09"));
    MessageBuilder m = Neighbours.message(Rtnl.RTM_NEWNEIGH, 0, n);
    m.attr(250, new byte[] {1});
    assertEquals(n, Neighbours.parse(Message.split(ByteBuffer.wrap(m.build(1, 0))).get(0)));
  }
}
