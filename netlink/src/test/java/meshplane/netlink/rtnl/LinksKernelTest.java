package meshplane.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Inet4Address;
import java.net.InetAddress;
import meshplane.netlink.KernelException;
import meshplane.netlink.MacAddress;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import meshplane.testkit.IpJson;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class LinksKernelTest {

  @Test
  void vethPairAcrossNamespacesIsSeenByIp(RtnlHandle h, FreshNamespaces.Namespaces spaces) {
    NetNamespace other = spaces.create(NetNamespace.class);
    Link a = h.links().add(new LinkSpec.Veth("mp-va", "eth0", other));
    assertEquals("veth", a.kind());

    JsonNode here = IpJson.link(h.namespace().name(), "mp-va");
    assertNotNull(here, "ip link show lists mp-va");
    assertEquals("veth", here.path("linkinfo").path("info_kind").asText());
    JsonNode there = IpJson.link(other.name(), "eth0");
    assertNotNull(there, "the peer eth0 is in the other namespace");
    assertEquals("veth", there.path("linkinfo").path("info_kind").asText());
    assertEquals(a.peerIndex(), there.path("ifindex").asInt(), "IFLA_LINK of mp-va is the peer's index");

    h.links().delete("mp-va");
    assertNull(IpJson.link(h.namespace().name(), "mp-va"));
    assertNull(IpJson.link(other.name(), "eth0"), "deleting one end removes the peer");
  }

  @Test
  void bridgeWithMasterMtuMacAndState(RtnlHandle h) {
    h.links().add(new LinkSpec.Bridge("mp-br0"));
    h.links().add(new LinkSpec.Veth("mp-d0", "mp-d0p"));
    h.links().setMaster("mp-d0", "mp-br0");
    h.links().setMtu("mp-d0", 1400);
    MacAddress mac = MacAddress.parse("02:42:0a:00:00:07");
    h.links().setMac("mp-d0", mac);
    h.links().setUp("mp-br0");
    h.links().setUp("mp-d0");

    JsonNode d0 = IpJson.link(h.namespace().name(), "mp-d0");
    assertEquals("mp-br0", d0.path("master").asText());
    assertEquals(1400, d0.path("mtu").asInt());
    assertEquals("02:42:0a:00:00:07", d0.path("address").asText());
    assertTrue(d0.path("flags").toString().contains("\"UP\""), d0.toString());
    assertEquals("bridge", IpJson.link(h.namespace().name(), "mp-br0").path("linkinfo").path("info_kind").asText());

    Link read = h.links().require("mp-d0");
    assertEquals(mac, read.mac());
    assertEquals(1400, read.mtu());
    assertTrue(read.isUp());
    assertEquals(h.links().require("mp-br0").index(), read.masterIndex());

    h.links().clearMaster("mp-d0");
    h.links().setDown("mp-d0");
    JsonNode after = IpJson.link(h.namespace().name(), "mp-d0");
    assertTrue(after.path("master").isMissingNode());
    assertFalse(after.path("flags").toString().contains("\"UP\""), after.toString());
  }

  @Test
  void vxlanDeviceCarriesVniPortLocalLearningTtl(RtnlHandle h) throws Exception {
    h.links().add(new LinkSpec.Bridge("mp-under"));
    Inet4Address local = (Inet4Address) InetAddress.getByName("198.18.0.1");
    h.links().add(new LinkSpec.Vxlan("mp-vx", 4097, 4789, local, false, 64, "mp-under"));

    JsonNode data = IpJson.link(h.namespace().name(), "mp-vx").path("linkinfo").path("info_data");
    assertEquals(4097, data.path("id").asInt());
    assertEquals(4789, data.path("port").asInt());
    assertEquals("198.18.0.1", data.path("local").asText());
    assertFalse(data.path("learning").asBoolean(true));
    assertEquals(64, data.path("ttl").asInt());
    assertEquals("mp-under", data.path("link").asText());

    VxlanInfo info = h.links().require("mp-vx").vxlan();
    assertEquals(new VxlanInfo(4097, 4789, local, false, 64, h.links().require("mp-under").index(), false), info);

    h.links().changeVxlan(new LinkSpec.Vxlan("mp-vx", 4097, 4789, local, true, 32, null));
    JsonNode changed = IpJson.link(h.namespace().name(), "mp-vx").path("linkinfo").path("info_data");
    assertTrue(changed.path("learning").asBoolean(false));
    assertEquals(32, changed.path("ttl").asInt());
  }

  @Test
  void vxlanWithArpProxy(RtnlHandle h) throws Exception {
    Inet4Address local = (Inet4Address) InetAddress.getByName("198.18.0.1");
    h.links().add(new LinkSpec.Vxlan("mp-vxp", 42, 4789, local, false, 0, null, true));
    JsonNode data = IpJson.link(h.namespace().name(), "mp-vxp").path("linkinfo").path("info_data");
    assertTrue(data.path("proxy").asBoolean(false), data.toString());
    assertTrue(h.links().require("mp-vxp").vxlan().proxy());
  }

  @Test
  void moveToNamespaceAndRename(RtnlHandle h, FreshNamespaces.Namespaces spaces) {
    NetNamespace other = spaces.create(NetNamespace.class);
    h.links().add(new LinkSpec.Veth("mp-mv", "mp-mvp"));
    h.links().moveTo("mp-mv", other, "eth7");
    assertNull(IpJson.link(h.namespace().name(), "mp-mv"));
    assertNotNull(IpJson.link(other.name(), "eth7"));

    RtnlHandle there = spaces.open(RtnlHandle.class, other.name());
    there.links().rename("eth7", "eth8");
    assertNotNull(IpJson.link(other.name(), "eth8"));
    assertTrue(there.links().get("eth7").isEmpty());
  }

  @Test
  void listMatchesIp(RtnlHandle h) {
    h.links().add(new LinkSpec.Veth("mp-l1", "mp-l1p"));
    h.links().add(new LinkSpec.Bridge("mp-l2"));
    var names = h.links().list().stream().map(Link::name).sorted().toList();
    var witness = new java.util.ArrayList<String>();
    IpJson.ip(h.namespace().name(), "link", "show").forEach(n -> witness.add(n.path("ifname").asText()));
    witness.sort(null);
    assertEquals(witness, names);
    assertTrue(names.contains("lo"));
  }

  @Test
  void tapDeviceIsCreatedInTheNamespace(RtnlHandle h) {
    try (TunTap tap = TunTap.create(h.namespace(), "mp-tap0", TunTap.Mode.TAP, true)) {
      assertTrue(tap.fd() > 0);
    }
    JsonNode tap = IpJson.link(h.namespace().name(), "mp-tap0");
    assertNotNull(tap, "a persistent tap outlives its descriptor");
    assertEquals("tun", tap.path("linkinfo").path("info_kind").asText());
    assertEquals("tap", tap.path("linkinfo").path("info_data").path("type").asText());
    h.links().delete("mp-tap0");
    assertNull(IpJson.link(h.namespace().name(), "mp-tap0"));

    try (TunTap tun = TunTap.create(h.namespace(), "mp-tun0", TunTap.Mode.TUN, false)) {
      assertEquals("tun", IpJson.link(h.namespace().name(), "mp-tun0").path("linkinfo").path("info_data").path("type").asText());
    }
    assertNull(IpJson.link(h.namespace().name(), "mp-tun0"), "a non-persistent tun goes with its descriptor");
  }

  @Test
  void errorsNameTheObjectAndErrno(RtnlHandle h) {
    h.links().add(new LinkSpec.Bridge("mp-dup"));
    KernelException e = assertThrows(KernelException.class, () -> h.links().add(new LinkSpec.Bridge("mp-dup")));
    assertEquals("EEXIST", e.errnoName());
    assertTrue(e.getMessage().contains("mp-dup"), e.getMessage());
    assertTrue(e.getMessage().contains(h.namespace().name()), e.getMessage());

    KernelException missing = assertThrows(KernelException.class, () -> h.links().delete("mp-nothing"));
    assertEquals("ENODEV", missing.errnoName());

    KernelException badMaster = assertThrows(KernelException.class, () -> {
      h.links().add(new LinkSpec.Veth("mp-d1", "mp-d1p"));
      h.links().add(new LinkSpec.Veth("mp-d2", "mp-d2p"));
      h.links().setMaster("mp-d1", "mp-d2");
    });
    assertTrue(badMaster.getMessage().contains("mp-d1"), badMaster.getMessage());
  }

  @Test
  void dummyWhereTheKernelHasIt(RtnlHandle h) {
    boolean kernelHasDummy = Command.run("ip", "-n", h.namespace().name(), "link", "add", "mp-probe", "type", "dummy").ok();
    if (!kernelHasDummy) {
      KernelException e = assertThrows(KernelException.class, () -> h.links().add(new LinkSpec.Dummy("mp-dm")));
      assertEquals("EOPNOTSUPP", e.errnoName(), e.getMessage());
      assertTrue(e.getMessage().contains("Unknown device type"), e.getMessage());
      assumeTrue(false, "this kernel has no dummy driver (CONFIG_DUMMY unset; ip link add type dummy fails too): "
          + "checked the refusal is reported, creation is exercised where the driver exists");
    }
    h.links().add(new LinkSpec.Dummy("mp-dm"));
    assertEquals("dummy", IpJson.link(h.namespace().name(), "mp-dm").path("linkinfo").path("info_kind").asText());
  }

  @Test
  void badNamesAreRefusedBeforeTheKernel() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new LinkSpec.Dummy("this-name-is-too-long"));
    assertTrue(e.getMessage().contains("15 bytes"), e.getMessage());
  }
}
