package meshplane.vxlan.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import meshplane.netlink.MacAddress;
import meshplane.vxlan.Peer;
import meshplane.vxlan.PeerChange;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PeerRoutesTest {
  static Peer peer(String network, String ip, String mac, String vtep) throws Exception {
    return new Peer(network, InetAddress.getByName(ip), MacAddress.parse(mac), (Inet4Address) InetAddress.getByName(vtep));
  }

  static long mac(String m) {
    return PeerRoutes.mac(MacAddress.parse(m));
  }

  static int ip(String a) throws Exception {
    return PeerRoutes.ipv4(InetAddress.getByName(a));
  }

  @Test
  void onlyThePeersVtepsAreSendersFollowingTheirChanges() throws Exception {
    Peer a = peer("red", "10.0.0.2", "02:42:0a:00:00:02", "198.18.0.2");
    PeerRoutes t = PeerRoutes.empty("red", 4789);
    assertTrue(!t.fromPeer(InetAddress.getByName("198.18.0.2")), "no peers: nobody");
    t = t.apply(List.of(new PeerChange.Add(a)));
    assertTrue(t.fromPeer(InetAddress.getByName("198.18.0.2")));
    assertTrue(!t.fromPeer(InetAddress.getByName("198.18.0.200")), "not a peer's VTEP");
    PeerRoutes moved = t.apply(List.of(new PeerChange.Repoint(a, peer("red", "10.0.0.2", "02:42:0a:00:00:02", "198.18.0.9"))));
    assertTrue(moved.fromPeer(InetAddress.getByName("198.18.0.9")) && !moved.fromPeer(InetAddress.getByName("198.18.0.2")),
        "a re-pointed peer's old VTEP is no longer listened to");
  }

  @Test
  void addRepointRemove() throws Exception {
    Peer a = peer("red", "10.0.0.2", "02:42:0a:00:00:02", "198.18.0.2");
    Peer b = peer("red", "10.0.0.3", "02:42:0a:00:00:03", "198.18.0.3");
    PeerRoutes t = PeerRoutes.empty("red", 4789).apply(List.of(new PeerChange.Add(a), new PeerChange.Add(b)));
    assertEquals(Set.of(a, b), t.peers());
    assertEquals(new InetSocketAddress("198.18.0.2", 4789), t.vtepFor(mac("02:42:0a:00:00:02")));
    assertEquals(mac("02:42:0a:00:00:03"), t.macFor(ip("10.0.0.3")));

    Peer aMoved = peer("red", "10.0.0.2", "02:42:0a:00:00:22", "198.18.0.9");
    PeerRoutes moved = t.apply(List.of(new PeerChange.Repoint(a, aMoved)));
    assertNull(moved.vtepFor(mac("02:42:0a:00:00:02")), "the old MAC leads nowhere");
    assertEquals(new InetSocketAddress("198.18.0.9", 4789), moved.vtepFor(mac("02:42:0a:00:00:22")));
    assertEquals(mac("02:42:0a:00:00:22"), moved.macFor(ip("10.0.0.2")));

    PeerRoutes removed = moved.apply(List.of(new PeerChange.Remove(b)));
    assertEquals(Set.of(aMoved), removed.peers());
    assertEquals(-1, removed.macFor(ip("10.0.0.3")));
    assertNull(removed.vtepFor(mac("02:42:0a:00:00:03")));
    assertEquals(Set.of(a, b), t.peers(), "tables are values: the old one is unchanged");
  }

  @Test
  void badChangesAreRefusedAndChangeNothing() throws Exception {
    Peer a = peer("red", "10.0.0.2", "02:42:0a:00:00:02", "198.18.0.2");
    Peer ghost = peer("red", "10.0.0.7", "02:42:0a:00:00:07", "198.18.0.2");
    Peer blue = peer("blue", "10.0.0.8", "02:42:0a:00:00:08", "198.18.0.2");
    Peer sameMac = peer("red", "10.0.0.9", "02:42:0a:00:00:02", "198.18.0.3");
    PeerRoutes t = PeerRoutes.empty("red", 4789).apply(List.of(new PeerChange.Add(a)));

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> t.apply(List.of(new PeerChange.Add(ghost), new PeerChange.Remove(peer("red", "10.0.0.5", "02:42:0a:00:00:05", "198.18.0.2")))));
    assertTrue(e.getMessage().startsWith("remove peer red 10.0.0.5") && e.getMessage().contains("network red has no peer 10.0.0.5"),
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> t.apply(List.of(new PeerChange.Add(blue))));
    assertTrue(e.getMessage().contains("belongs to network blue, not to red"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> t.apply(List.of(new PeerChange.Repoint(ghost, ghost))));
    assertTrue(e.getMessage().contains("has no peer 10.0.0.7"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> t.apply(List.of(new PeerChange.Repoint(a, ghost))));
    assertTrue(e.getMessage().contains("a repoint keeps the network and IP"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> t.apply(List.of(new PeerChange.Add(sameMac))));
    assertTrue(e.getMessage().contains("have the same MAC"), e.getMessage());
    assertEquals(Set.of(a), t.peers());
  }

  @Test
  void addingAgainReplaces() throws Exception {
    Peer a = peer("red", "10.0.0.2", "02:42:0a:00:00:02", "198.18.0.2");
    Peer a2 = peer("red", "10.0.0.2", "02:42:0a:00:00:02", "198.18.0.4");
    PeerRoutes t = PeerRoutes.empty("red", 4789).apply(List.of(new PeerChange.Add(a), new PeerChange.Add(a2)));
    assertEquals(Set.of(a2), t.peers());
    assertEquals(new InetSocketAddress("198.18.0.4", 4789), t.vtepFor(mac("02:42:0a:00:00:02")));
  }
}
