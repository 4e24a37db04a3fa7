package meshplane.cluster.orchestrator;

import static meshplane.cluster.orchestrator.Fixtures.cluster;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.Network;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class NetworkAllocatorTest {
  private static ClusterState put(ClusterState s, Network n) {
    return s.apply(new Command.PutNetwork(n), s.index() + 1);
  }

  @Test
  void ingressIsFixed() {
    Network n = NetworkAllocator.ingress(7);
    assertEquals(new Network("ingress", "ingress", 4096, "10.255.0.0/16", "10.255.0.1", true, Map.of(), 7), n);
  }

  @Test
  void firstNetworksTakeTheSmallestVniAndTheFirstFreeSubnet() {
    ClusterState s = cluster(2);
    Network web = NetworkAllocator.create(s, "web", null, 5);
    assertEquals("web", web.id());
    assertEquals(4097, web.vni());
    assertEquals("10.0.0.0/24", web.subnet());
    assertEquals("10.0.0.1", web.gateway());
    assertEquals(Map.of(Fixtures.node("node1", 1).id(), "10.0.0.2", Fixtures.node("node2", 2).id(), "10.0.0.3"), web.lbAddresses());
    s = put(s, web);
    Network back = NetworkAllocator.create(s, "Back_End", null, 5);
    assertEquals("n4098", back.id(), "a name that is not [a-z0-9]{1,12} gets n<vni>");
    assertEquals(4098, back.vni());
    assertEquals("10.0.1.0/24", back.subnet());
    s = put(s, back);
    Network own = NetworkAllocator.create(s, "own", "10.0.2.0/25", 5);
    assertEquals("10.0.2.1", own.gateway());
    s = put(s, own);
    assertEquals("10.0.3.0/24", NetworkAllocator.create(s, "more", null, 5).subnet(), "10.0.2.0/24 overlaps own's /25");
    s = s.apply(new Command.RemoveNetwork("web"), s.index() + 1);
    Network again = NetworkAllocator.create(s, "again", null, 5);
    assertEquals(4097, again.vni(), "a freed VNI is reused");
    assertEquals("10.0.0.0/24", again.subnet(), "a freed subnet is reused");
  }

  @Test
  void anIdTakenByAnotherNetworkFallsBackToTheVni() {
    ClusterState s = put(cluster(1), NetworkAllocator.create(cluster(1), "a.b", null, 0)); // id n4097
    Network n = NetworkAllocator.create(s, "n4097", null, 0);
    assertEquals("n4098", n.id());
    assertEquals(4098, n.vni());
    assertEquals("n4099", NetworkAllocator.create(put(s, n), "x".repeat(13), null, 0).id());
  }

  @Test
  void badNamesAreRefused() {
    ClusterState s = cluster(1);
    for (String bad : new String[] {"", "-web", ".web", "we b", "web/1", "x".repeat(64)}) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> NetworkAllocator.create(s, bad, null, 0), bad);
      assertEquals("name", e.field());
    }
    NetworkAllocator.create(s, "x".repeat(63), null, 0);
    NetworkAllocator.create(s, "W3b_net.1-a", null, 0);
  }

  @Test
  void aTakenNameIsAConflict() {
    ClusterState s = put(cluster(1), NetworkAllocator.create(cluster(1), "web", null, 0));
    CommandRejectedException e = assertThrows(CommandRejectedException.class, () -> NetworkAllocator.create(s, "web", null, 0));
    assertEquals("network name web is taken", e.getMessage());
    assertThrows(CommandRejectedException.class, () -> NetworkAllocator.create(s, "ingress", null, 0));
  }

  @Test
  void badSubnetsAreRefused() {
    ClusterState s = cluster(1);
    for (String bad : new String[] {"10.1.0.0", "10.1.0/24", "10.1.0.0/33", "10.1.0.0/7", "10.1.0.0/30", "300.1.0.0/16",
        "10.1.0.1/24", "198.18.5.0/24", "198.0.0.0/8", "fd00::/64"}) {
      InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> NetworkAllocator.create(s, "n", bad, 0), bad);
      assertEquals("subnet", e.field(), bad);
    }
    assertTrue(assertThrows(InvalidRequestException.class, () -> NetworkAllocator.create(s, "n", "10.1.0.1/24", 0))
        .getMessage().contains("10.1.0.0/24"));
    assertEquals("10.1.0.0/29", NetworkAllocator.create(s, "n", "10.1.0.0/29", 0).subnet());
    assertEquals("11.0.0.0/8", NetworkAllocator.create(s, "n", "11.0.0.0/8", 0).subnet());
  }

  @Test
  void anOverlappingSubnetIsAConflict() {
    ClusterState s = put(cluster(1), NetworkAllocator.create(cluster(1), "web", "10.1.0.0/16", 0));
    CommandRejectedException e = assertThrows(CommandRejectedException.class, () -> NetworkAllocator.create(s, "n", "10.1.2.0/24", 0));
    assertEquals("subnet 10.1.2.0/24 overlaps 10.1.0.0/16 of network web", e.getMessage());
    assertThrows(CommandRejectedException.class, () -> NetworkAllocator.create(s, "n", "10.255.3.0/24", 0), "ingress's");
  }
}
