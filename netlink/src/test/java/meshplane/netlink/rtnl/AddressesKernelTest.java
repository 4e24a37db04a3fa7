package meshplane.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
class AddressesKernelTest {

  /** The addr_info entry of {@code link} whose local address is {@code local}, per {@code ip -j addr show}. */
  private static JsonNode witness(NetNamespace ns, String link, String local) {
    for (JsonNode l : IpJson.ip(ns.name(), "addr", "show", "dev", link)) {
      for (JsonNode a : l.path("addr_info")) {
        if (local.equals(a.path("local").asText())) {
          return a;
        }
      }
    }
    return null;
  }

  private static AddressEntry find(List<AddressEntry> list, IpPrefix p) {
    return list.stream().filter(e -> e.prefix().equals(p)).findFirst().orElse(null);
  }

  @Test
  void ipv4AndIpv6AddressesAreAddedSeenByIpListedAndDeleted(RtnlHandle h) {
    h.links().add(new LinkSpec.Veth("mp-va", "mp-vb"));
    int index = h.links().require("mp-va").index();
    IpPrefix v4 = IpPrefix.parse("10.0.0.2/24");
    IpPrefix v6 = IpPrefix.parse("2001:db8::2/64");
    h.addresses().add("mp-va", v4);
    h.addresses().add("mp-va", v6);

    JsonNode w4 = witness(h.namespace(), "mp-va", "10.0.0.2");
    assertNotNull(w4, "ip addr show lists 10.0.0.2 on mp-va");
    assertEquals("inet", w4.path("family").asText());
    assertEquals(24, w4.path("prefixlen").asInt());
    assertEquals("global", w4.path("scope").asText());
    assertEquals("mp-va", w4.path("label").asText());
    JsonNode w6 = witness(h.namespace(), "mp-va", "2001:db8::2");
    assertNotNull(w6, "ip addr show lists 2001:db8::2 on mp-va");
    assertEquals("inet6", w6.path("family").asText());
    assertEquals(64, w6.path("prefixlen").asInt());

    List<AddressEntry> listed = h.addresses().list("mp-va");
    AddressEntry a4 = find(listed, v4);
    assertEquals(new AddressEntry(index, "mp-va", v4, Rtnl.RT_SCOPE_UNIVERSE, "mp-va", a4.flags()), a4);
    assertTrue((a4.flags() & Rtnl.IFA_F_PERMANENT) != 0, "a configured address is IFA_F_PERMANENT");
    AddressEntry a6 = find(listed, v6);
    assertNotNull(a6, listed.toString());
    assertEquals(index, a6.linkIndex());
    assertEquals("mp-va", a6.linkName());
    assertEquals(Rtnl.RT_SCOPE_UNIVERSE, a6.scope());
    assertEquals(w6.path("tentative").asBoolean(false), a6.isTentative());

    h.addresses().delete("mp-va", v4);
    h.addresses().delete("mp-va", v6);
    assertNull(witness(h.namespace(), "mp-va", "10.0.0.2"));
    assertNull(witness(h.namespace(), "mp-va", "2001:db8::2"));
    assertNull(find(h.addresses().list("mp-va"), v4));
    assertNull(find(h.addresses().list("mp-va"), v6));
  }

  @Test
  void loopbackAddressGetsHostScopeAsIpGivesIt(RtnlHandle h) {
    h.addresses().add("lo", IpPrefix.parse("127.0.0.5/8"));
    assertEquals("host", witness(h.namespace(), "lo", "127.0.0.5").path("scope").asText());
    assertEquals(Rtnl.RT_SCOPE_HOST, find(h.addresses().list("lo"), IpPrefix.parse("127.0.0.5/8")).scope());
  }

  @Test
  void replaceIsIdempotentWhereAddRefusesADuplicate(RtnlHandle h) {
    h.links().add(new LinkSpec.Veth("mp-va", "mp-vb"));
    IpPrefix p = IpPrefix.parse("10.1.0.2/16");
    h.addresses().replace("mp-va", p);
    h.addresses().replace("mp-va", p);
    assertEquals(16, witness(h.namespace(), "mp-va", "10.1.0.2").path("prefixlen").asInt());

    KernelException e = assertThrows(KernelException.class, () -> h.addresses().add("mp-va", p));
    assertEquals("EEXIST", e.errnoName());
    assertEquals("add", e.operation());
    assertTrue(e.getMessage().contains("address 10.1.0.2/16 on mp-va in netns " + h.namespace().name()),
        e.getMessage());
  }

  @Test
  void errorsNameTheAddressTheLinkAndErrno(RtnlHandle h) {
    h.links().add(new LinkSpec.Veth("mp-va", "mp-vb"));
    KernelException missing = assertThrows(KernelException.class,
        () -> h.addresses().delete("mp-va", IpPrefix.parse("10.9.9.9/24")));
    assertEquals("EADDRNOTAVAIL", missing.errnoName());
    assertTrue(missing.getMessage().startsWith("delete address 10.9.9.9/24 on mp-va in netns " + h.namespace().name()),
        missing.getMessage());

    KernelException noLink = assertThrows(KernelException.class,
        () -> h.addresses().add("mp-nothing", IpPrefix.parse("10.0.0.2/24")));
    assertEquals("ENODEV", noLink.errnoName());
    assertTrue(noLink.getMessage().contains("mp-nothing"), noLink.getMessage());
  }

  @Test
  void listMatchesIp(RtnlHandle h) {
    h.links().add(new LinkSpec.Veth("mp-va", "mp-vb"));
    h.links().setUp("mp-va");
    h.links().setUp("mp-vb");
    h.addresses().add("mp-va", IpPrefix.parse("10.0.0.2/24"));
    h.addresses().add("mp-vb", IpPrefix.parse("10.0.0.3/24"));
    h.addresses().add("mp-vb", IpPrefix.parse("fd00::3/64"));

    Set<String> witness = new HashSet<>();
    for (JsonNode l : IpJson.ip(h.namespace().name(), "addr", "show")) {
      for (JsonNode a : l.path("addr_info")) {
        witness.add(l.path("ifname").asText() + " "
            + IpPrefix.parse(a.path("local").asText() + "/" + a.path("prefixlen").asInt()));
      }
    }
    Set<String> ours = new HashSet<>();
    h.addresses().list().forEach(e -> ours.add(e.linkName() + " " + e.prefix()));
    assertEquals(witness, ours);
    assertTrue(ours.contains("mp-vb " + IpPrefix.parse("fd00::3/64")), ours.toString());
  }

  @Test
  void decodeIgnoresUnknownAttributes() {
    MessageBuilder m = Addresses.message(Rtnl.RTM_NEWADDR, 0, 7, IpPrefix.parse("10.0.0.2/24"));
    m.attr(250, new byte[] {1, 2, 3});
    m.attrString(Rtnl.IFA_LABEL, "mp-va:1");
    Message r = Message.split(ByteBuffer.wrap(m.build(1, 0))).get(0);
    assertEquals(new AddressEntry(7, null, IpPrefix.parse("10.0.0.2/24"), Rtnl.RT_SCOPE_UNIVERSE, "mp-va:1", 0),
        Addresses.parse(r));
  }
}
