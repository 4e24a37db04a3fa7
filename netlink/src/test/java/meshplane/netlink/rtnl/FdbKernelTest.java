package meshplane.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.KernelException;
import meshplane.netlink.MacAddress;
import meshplane.netlink.Message;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.BridgeJson;
import meshplane.testkit.FreshNamespaces;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class FdbKernelTest {
  private static final MacAddress REMOTE_MAC = MacAddress.parse("02:42:0a:00:00:05");

  private static InetAddress ip(String literal) {
    return IpPrefix.literal(literal, literal);
  }

  private static void vxlan(RtnlHandle h) {
    h.links().add(new LinkSpec.Vxlan("mp-vx", 42, 4789, (Inet4Address) ip("198.18.0.1"), false, 64, null));
  }

  /** {@code bridge -j fdb show dev DEV}, each entry as the witness prints it. */
  private static List<JsonNode> witness(NetNamespace ns, String dev) {
    List<JsonNode> out = new ArrayList<>();
    BridgeJson.bridge(ns.name(), "fdb", "show", "dev", dev).forEach(out::add);
    return out;
  }

  private static JsonNode witness(NetNamespace ns, String dev, MacAddress mac, String dst) {
    for (JsonNode e : witness(ns, dev)) {
      if (e.path("mac").asText().equals(mac.toString()) && (dst == null || dst.equals(e.path("dst").asText()))) {
        return e;
      }
    }
    return null;
  }

  private static List<FdbEntry> ours(RtnlHandle h, String dev, MacAddress mac) {
    return h.fdb().list(dev).stream().filter(e -> e.mac().equals(mac)).toList();
  }

  @Test
  void vxlanRemoteEntryAndFloodListAreSeenByBridge(RtnlHandle h) {
    vxlan(h);
    int index = h.links().require("mp-vx").index();
    h.fdb().add(FdbEntry.remote("mp-vx", REMOTE_MAC, ip("198.18.0.3")));
    h.fdb().append(FdbEntry.flood("mp-vx", ip("198.18.0.2")));
    h.fdb().append(FdbEntry.flood("mp-vx", ip("198.18.0.4")));

    JsonNode remote = witness(h.namespace(), "mp-vx", REMOTE_MAC, null);
    assertNotNull(remote, "bridge fdb show dev mp-vx lists " + REMOTE_MAC);
    assertEquals("198.18.0.3", remote.path("dst").asText());
    assertEquals("[\"self\"]", remote.path("flags").toString());
    assertEquals("permanent", remote.path("state").asText());
    assertNotNull(witness(h.namespace(), "mp-vx", FdbEntry.ALL_ZEROS, "198.18.0.2"));
    assertNotNull(witness(h.namespace(), "mp-vx", FdbEntry.ALL_ZEROS, "198.18.0.4"));

    List<FdbEntry> listed = ours(h, "mp-vx", REMOTE_MAC);
    assertEquals(1, listed.size(), listed.toString());
    FdbEntry e = listed.get(0);
    assertEquals(index, e.linkIndex());
    assertEquals("mp-vx", e.linkName());
    assertEquals(ip("198.18.0.3"), e.remote());
    assertTrue(e.isSelf() && e.isPermanent(), e.toString());
    Set<InetAddress> flood = new HashSet<>();
    ours(h, "mp-vx", FdbEntry.ALL_ZEROS).forEach(x -> flood.add(x.remote()));
    assertEquals(Set.of(ip("198.18.0.2"), ip("198.18.0.4")), flood);

    h.fdb().delete(FdbEntry.flood("mp-vx", ip("198.18.0.2")));
    assertNull(witness(h.namespace(), "mp-vx", FdbEntry.ALL_ZEROS, "198.18.0.2"), "that remote is gone");
    assertNotNull(witness(h.namespace(), "mp-vx", FdbEntry.ALL_ZEROS, "198.18.0.4"), "the other stays");
    h.fdb().delete(e);
    assertNull(witness(h.namespace(), "mp-vx", REMOTE_MAC, null));
  }

  @Test
  void replaceMovesAMacToAnotherVtep(RtnlHandle h) {
    vxlan(h);
    h.fdb().add(FdbEntry.remote("mp-vx", REMOTE_MAC, ip("198.18.0.3")));
    h.fdb().replace(FdbEntry.remote("mp-vx", REMOTE_MAC, ip("198.18.0.5")));
    List<JsonNode> entries = witness(h.namespace(), "mp-vx").stream()
        .filter(x -> x.path("mac").asText().equals(REMOTE_MAC.toString())).toList();
    assertEquals(1, entries.size(), entries.toString());
    assertEquals("198.18.0.5", entries.get(0).path("dst").asText());
    assertEquals(ip("198.18.0.5"), ours(h, "mp-vx", REMOTE_MAC).get(0).remote());
  }

  @Test
  void bridgePortEntriesWithMasterFlag(RtnlHandle h) {
    h.links().add(new LinkSpec.Bridge("mp-br"));
    h.links().add(new LinkSpec.Veth("mp-p0", "mp-p0p"));
    h.links().setMaster("mp-p0", "mp-br");
    int bridge = h.links().require("mp-br").index();
    MacAddress staticMac = MacAddress.parse("02:42:0a:00:00:06");
    MacAddress localMac = MacAddress.parse("02:42:0a:00:00:07");
    h.fdb().add(FdbEntry.onBridgePort("mp-p0", staticMac));
    h.fdb().add(new FdbEntry(0, "mp-p0", localMac, null, Rtnl.NTF_MASTER, Rtnl.NUD_PERMANENT, 0));

    JsonNode s = witness(h.namespace(), "mp-p0", staticMac, null);
    assertNotNull(s, "bridge fdb show dev mp-p0 lists " + staticMac);
    assertEquals("mp-br", s.path("master").asText());
    assertEquals("static", s.path("state").asText());
    assertEquals("[]", s.path("flags").toString(), "a master entry is not the port's own (self)");
    assertEquals("permanent", witness(h.namespace(), "mp-p0", localMac, null).path("state").asText());

    FdbEntry listed = ours(h, "mp-p0", staticMac).get(0);
    assertEquals(bridge, listed.masterIndex());
    assertTrue(listed.isStatic() && !listed.isSelf(), listed.toString());
    assertEquals("mp-p0", listed.linkName());
    assertTrue(ours(h, "mp-p0", localMac).get(0).isPermanent());

    h.fdb().delete(FdbEntry.onBridgePort("mp-p0", staticMac));
    assertNull(witness(h.namespace(), "mp-p0", staticMac, null));
    assertNotNull(witness(h.namespace(), "mp-p0", localMac, null));
  }

  @Test
  void errorsNameTheEntryAndErrno(RtnlHandle h) {
    vxlan(h);
    String where = "in netns " + h.namespace().name();
    FdbEntry e = FdbEntry.remote("mp-vx", REMOTE_MAC, ip("198.18.0.3"));
    h.fdb().add(e);
    KernelException dup = assertThrows(KernelException.class, () -> h.fdb().add(e));
    assertEquals("EEXIST", dup.errnoName());
    assertTrue(dup.getMessage().startsWith("add fdb entry 02:42:0a:00:00:05 dev mp-vx dst 198.18.0.3 self"),
        dup.getMessage());
    assertTrue(dup.getMessage().contains(where), dup.getMessage());

    KernelException gone = assertThrows(KernelException.class,
        () -> h.fdb().delete(FdbEntry.remote("mp-vx", MacAddress.parse("02:42:0a:00:00:0f"), ip("198.18.0.3"))));
    assertEquals("ENOENT", gone.errnoName());
    assertTrue(gone.getMessage().contains("02:42:0a:00:00:0f"), gone.getMessage());

    FdbEntry staticOnVxlan = new FdbEntry(0, "mp-vx", MacAddress.parse("02:42:0a:00:00:0e"), ip("198.18.0.3"),
        Rtnl.NTF_SELF, Rtnl.NUD_NOARP, 0);
    KernelException badState = assertThrows(KernelException.class, () -> h.fdb().add(staticOnVxlan));
    assertEquals("EINVAL", badState.errnoName(), "a VXLAN device takes only permanent or reachable entries");

    KernelException noLink = assertThrows(KernelException.class,
        () -> h.fdb().add(FdbEntry.remote("mp-nothing", REMOTE_MAC, ip("198.18.0.3"))));
    assertEquals("ENODEV", noLink.errnoName());
    assertTrue(noLink.getMessage().contains("mp-nothing"), noLink.getMessage());
  }

  @Test
  void listMatchesBridge(RtnlHandle h) {
    vxlan(h);
    h.links().add(new LinkSpec.Bridge("mp-br"));
    h.links().add(new LinkSpec.Veth("mp-p0", "mp-p0p"));
    h.links().setMaster("mp-p0", "mp-br");
    h.fdb().add(FdbEntry.remote("mp-vx", REMOTE_MAC, ip("198.18.0.3")));
    h.fdb().append(FdbEntry.flood("mp-vx", ip("198.18.0.2")));
    h.fdb().add(FdbEntry.onBridgePort("mp-p0", MacAddress.parse("02:42:0a:00:00:06")));

    Set<String> witness = new HashSet<>();
    for (JsonNode e : BridgeJson.bridge(h.namespace().name(), "fdb", "show")) {
      witness.add(e.path("mac").asText() + " " + e.path("ifname").asText() + " " + e.path("dst").asText("-")
          + " " + e.path("master").asText("-"));
    }
    Set<String> ours = new HashSet<>();
    LinkNames names = LinkNames.of(h);
    for (FdbEntry e : h.fdb().list()) {
      String master = e.masterIndex() == 0 ? "-" : names.name(e.masterIndex());
      ours.add(e.mac() + " " + e.linkName() + " " + (e.remote() == null ? "-" : e.remote().getHostAddress())
          + " " + master);
    }
    assertEquals(witness, ours);
  }

  @Test
  void decodeIgnoresUnknownAttributes() {
    FdbEntry e = new FdbEntry(6, null, REMOTE_MAC, ip("198.18.0.3"), Rtnl.NTF_SELF, Rtnl.NUD_PERMANENT, 0);
    MessageBuilder m = Fdb.message(Rtnl.RTM_NEWNEIGH, 0, e, 6);
    m.attr(250, new byte[] {1, 2});
    m.attrU32(Rtnl.NDA_MASTER, 3);
    FdbEntry decoded = Fdb.parse(Message.split(ByteBuffer.wrap(m.build(1, 0))).get(0));
    assertEquals(new FdbEntry(6, null, REMOTE_MAC, ip("198.18.0.3"), Rtnl.NTF_SELF, Rtnl.NUD_PERMANENT, 3), decoded);
  }
}
