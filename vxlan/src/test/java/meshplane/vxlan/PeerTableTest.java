package meshplane.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import meshplane.netlink.MacAddress;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class PeerTableTest {
  static Peer peer(String ip, String mac, String vtep) throws Exception {
    return new Peer("red", InetAddress.getByName(ip), MacAddress.parse(mac), (Inet4Address) InetAddress.getByName(vtep));
  }

  @Test
  void sameSetsNeedNoChange() throws Exception {
    List<Peer> peers = List.of(peer("10.0.0.2", "02:42:0a:00:00:02", "198.18.0.2"));
    assertTrue(PeerTable.diff(peers, peers).isEmpty());
  }

  @Test
  void addRemoveAndRepointAreIncremental() throws Exception {
    Peer stays = peer("10.0.0.2", "02:42:0a:00:00:02", "198.18.0.2");
    Peer goes = peer("10.0.0.3", "02:42:0a:00:00:03", "198.18.0.3");
    Peer moves = peer("10.0.0.4", "02:42:0a:00:00:04", "198.18.0.2");
    Peer moved = peer("10.0.0.4", "02:42:0a:00:00:04", "198.18.0.3");
    Peer comes = peer("10.0.0.5", "02:42:0a:00:00:05", "198.18.0.3");
    List<PeerChange> changes = PeerTable.diff(List.of(stays, goes, moves), List.of(stays, moved, comes));
    assertEquals(List.of(new PeerChange.Remove(goes), new PeerChange.Repoint(moves, moved), new PeerChange.Add(comes)), changes);
  }

  @Test
  void aNewMacIsARepointToo() throws Exception {
    Peer before = peer("10.0.0.4", "02:42:0a:00:00:04", "198.18.0.2");
    Peer after = peer("10.0.0.4", "02:42:0a:00:00:44", "198.18.0.2");
    assertEquals(List.of(new PeerChange.Repoint(before, after)), PeerTable.diff(List.of(before), List.of(after)));
  }

  @Test
  void oneIpTwiceInTheDesiredSetIsRefused() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PeerTable.diff(List.of(),
        List.of(peer("10.0.0.4", "02:42:0a:00:00:04", "198.18.0.2"), peer("10.0.0.4", "02:42:0a:00:00:05", "198.18.0.3"))));
    assertTrue(e.getMessage().startsWith("the desired peers list 10.0.0.4 on network red twice"), e.getMessage());
  }
}
