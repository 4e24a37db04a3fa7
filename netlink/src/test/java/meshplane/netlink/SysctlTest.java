package meshplane.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Only per-namespace (net.*) sysctls are reachable, so nothing can change the machine's own. */
@Tag("unit")
class SysctlTest {

  @Test
  void dottedNetKeysMapToProcSys() {
    assertEquals(Path.of("/proc/sys/net/ipv4/ip_forward"), Sysctl.pathOf("net.ipv4.ip_forward"));
    assertEquals(Path.of("/proc/sys/net/ipv4/conf/all/rp_filter"), Sysctl.pathOf("net.ipv4.conf.all.rp_filter"));
  }

  @Test
  void anInterfaceNameWithDotsIsWrittenWithSlashes() {
    assertEquals(Path.of("/proc/sys/net/ipv4/conf/eth0.10/forwarding"),
        Sysctl.pathOf("net/ipv4/conf/eth0.10/forwarding"));
  }

  @Test
  void keysOutsideNetAreRefused() {
    for (String key : new String[] {"kernel.hostname", "vm.swappiness", "fs/file-max", "network.foo", "net"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sysctl.pathOf(key), key);
      assertEquals("sysctl key \"" + key + "\" must start with net. (only per-namespace keys may be set)", e.getMessage());
    }
  }

  @Test
  void climbingOutOfNetIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Sysctl.pathOf("net/../kernel/hostname"));
    assertTrue(e.getMessage().contains("net/../kernel/hostname"), e.getMessage());
  }
}
