package meshplane.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import meshplane.netlink.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class OverlayNetworkTest {

  @Test
  void defaultsAreDockersMtuAndPort() {
    OverlayNetwork n = OverlayNetwork.of("red", 4097, "10.10.0.0/24", "10.10.0.1");
    assertEquals(1450, n.mtu());
    assertEquals(4789, n.port());
    assertEquals(IpPrefix.parse("10.10.0.1/24"), n.gatewayPrefix());
    assertEquals("mp-vx-001001", KernelVtepDevice.name(n));
  }

  private static String refusal(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void badNetworksNameTheFieldAndTheRule() {
    assertEquals("network red: vni 0 must be between 1 and 16777215",
        refusal(() -> OverlayNetwork.of("red", 0, "10.10.0.0/24", "10.10.0.1")));
    assertEquals("network red: vni 16777216 must be between 1 and 16777215",
        refusal(() -> OverlayNetwork.of("red", 1 << 24, "10.10.0.0/24", "10.10.0.1")));
    assertEquals("network red: gateway 10.11.0.1 must be a host address inside subnet 10.10.0.0/24",
        refusal(() -> OverlayNetwork.of("red", 5, "10.10.0.0/24", "10.11.0.1")));
    assertEquals("network red: gateway 10.10.0.255 must be a host address inside subnet 10.10.0.0/24",
        refusal(() -> OverlayNetwork.of("red", 5, "10.10.0.0/24", "10.10.0.255")));
    assertEquals("network red: subnet 10.10.0.1/24 must be an IPv4 network address with a prefix of /30 or shorter",
        refusal(() -> OverlayNetwork.of("red", 5, "10.10.0.1/24", "10.10.0.2")));
    assertEquals("network id \"Red\" must be 1 to 12 lowercase letters or digits",
        refusal(() -> OverlayNetwork.of("Red", 5, "10.10.0.0/24", "10.10.0.1")));
  }

  @Test
  void sandboxNamesFollowTheHost() throws Exception {
    VtepHost h = new VtepHost("mp-lab-node1", (java.net.Inet4Address) java.net.InetAddress.getByName("198.18.0.1"), "eth0");
    assertEquals("mp-lab-node1-ov-red", h.sandboxNamespace("red"));
  }
}
