package meshplane.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import meshplane.netlink.rtnl.LinkSpec;
import meshplane.netlink.rtnl.RtnlHandle;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class SysctlKernelTest {

  private static String witness(NetNamespace ns, String key) {
    return Command.run("ip", "netns", "exec", ns.name(), "sysctl", "-n", key).orThrow().trim();
  }

  @Test
  void writesOnlyInsideTheNamespace(NetNamespace ns) {
    String rootBefore = Command.run("sysctl", "-n", "net.ipv4.ip_forward").orThrow().trim();
    String target = rootBefore.equals("1") ? "0" : "1";
    Sysctl.write(ns, "net.ipv4.ip_forward", target);
    assertEquals(target, witness(ns, "net.ipv4.ip_forward"));
    assertEquals(target, Sysctl.read(ns, "net.ipv4.ip_forward"));
    assertEquals(rootBefore, Command.run("sysctl", "-n", "net.ipv4.ip_forward").orThrow().trim(),
        "the machine's own setting is unchanged");
  }

  @Test
  void perInterfaceKeys(RtnlHandle h) {
    h.links().add(new LinkSpec.Bridge("mp-sys0"));
    Sysctl.write(h.namespace(), "net.ipv4.conf.mp-sys0.rp_filter", "2");
    assertEquals("2", witness(h.namespace(), "net.ipv4.conf.mp-sys0.rp_filter"));
  }
}
