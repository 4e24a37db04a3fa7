package meshplane.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import meshplane.netlink.Errno;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The values name themselves as errors will, and refuse what the kernel would refuse, before sending. */
@Tag("unit")
class IpvsValuesTest {

  @Test
  void keysNameThemselvesAsIpvsadmDoes() {
    assertEquals("tcp 10.0.0.2:80", ServiceKey.tcp("10.0.0.2", 80).toString());
    assertEquals("udp [fd00::53]:53", ServiceKey.udp("fd00::53", 53).toString());
    assertEquals("fwmark 0x100", ServiceKey.fwmark(256).toString());
    assertEquals("udp [::1]:53", ServiceKey.udp("::1", 53).toString());
    assertEquals("tcp [fd00:1:0:0:2::]:80", ServiceKey.tcp("fd00:1:0:0:2:0:0:0", 80).toString());
    assertEquals("tcp [::]:80", ServiceKey.tcp("::", 80).toString());
    assertEquals("tcp [fd00:0:1:2:3:4:5:6]:80", ServiceKey.tcp("fd00:0:1:2:3:4:5:6", 80).toString());
    assertEquals(AddressFamily.INET6, ServiceKey.udp("fd00::53", 53).family());
  }

  @Test
  void badValuesAreRefusedWithTheRule() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ServiceKey.fwmark(0))
        .getMessage().contains("firewall mark 0"));
    assertEquals("service port 65536 must be 0 to 65535",
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.tcp("10.0.0.2", 65536)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> ServiceKey.tcp("not-an-address", 80));
    assertEquals("scheduler \"averyveryverylongname\" must be 1 to 15 bytes", assertThrows(
        IllegalArgumentException.class, () -> IpvsService.of(ServiceKey.fwmark(1), "averyveryverylongname")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> IpvsService.of(ServiceKey.fwmark(1), ""));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new IpvsService(ServiceKey.fwmark(1), "rr", 0, 0, 33, "")).getMessage().contains("/0 to /32"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> IpvsService.of(ServiceKey.fwmark(1), "rr").withFlags(0x2)).getMessage().contains("HASHED"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> new IpvsDestination(java.net.InetAddress.getLoopbackAddress(), 80, ForwardingMethod.MASQUERADE, 1, 5, 10))
        .getMessage().contains("lower <= upper"));
    assertThrows(IllegalArgumentException.class, () -> IpvsDestination.masquerade("10.0.1.5", 80, -1));
  }

  @Test
  void errnosAreExplainedInIpvsTerms() {
    assertEquals("no such service", IpvsErrors.hint(IpvsNl.IPVS_CMD_DEL_SERVICE, Errno.ESRCH, ""));
    assertEquals("the service exists already", IpvsErrors.hint(IpvsNl.IPVS_CMD_NEW_SERVICE, Errno.EEXIST, ""));
    assertEquals("the service has this destination already", IpvsErrors.hint(IpvsNl.IPVS_CMD_NEW_DEST, Errno.EEXIST, ""));
    assertEquals("no scheduler or persistence engine module for \"nope\"",
        IpvsErrors.hint(IpvsNl.IPVS_CMD_NEW_SERVICE, Errno.ENOENT, "nope"));
    assertEquals("the service has no such destination", IpvsErrors.hint(IpvsNl.IPVS_CMD_DEL_DEST, Errno.ENOENT, ""));
    assertEquals("", IpvsErrors.hint(IpvsNl.IPVS_CMD_FLUSH, Errno.EINVAL, ""));
    assertEquals("the address is not unicast here, or the namespace has no local routing table yet: bring lo up",
        IpvsErrors.hint(IpvsNl.IPVS_CMD_NEW_DEST, Errno.EINVAL, ""));
  }
}
