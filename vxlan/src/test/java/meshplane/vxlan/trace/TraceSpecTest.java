package meshplane.vxlan.trace;

import meshplane.vxlan.VxlanHeader;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad trace options are refused with the option and its rule. */
@Tag("unit")
class TraceSpecTest {
  private static final TraceSpec SPEC = TraceSpec.of("mp-lab-node2");

  private static void refused(String message, Executable e) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
  }

  @Test
  void defaults() {
    assertEquals("eth0", SPEC.iface());
    assertEquals(4789, SPEC.port());
    assertEquals("udp dst port 4789", SPEC.bpfFilter());
    assertEquals("udp dst port 8472", SPEC.withPort(8472).bpfFilter());
    assertEquals("capture on eth0 in netns mp-lab-node2", SPEC.describe());
  }

  @Test
  void badValuesAreRefused() {
    refused("--port 0 must be between 1 and 65535", () -> SPEC.withPort(0));
    refused("--port 65536 must be between 1 and 65535", () -> SPEC.withPort(65536));
    refused("--vni 16777216 must be between 0 and 16777215", () -> SPEC.withVni(16_777_216));
    refused("--vni -1 must be between 0 and 16777215", () -> SPEC.withVni(-1));
    refused("--count 0 must be at least 1", () -> SPEC.withCount(0L));
    refused("--timeout 0 must be more than 0 seconds", () -> SPEC.withTimeout(Duration.ZERO));
    refused("trace interface \"\" must be an interface name of 1 to 15 characters", () -> SPEC.withInterface(""));
    refused("trace namespace must be given", () -> TraceSpec.of(""));
  }

  @Test
  void vxlanHeaderReadsFlagsAndVni() {
    VxlanHeader h = VxlanHeader.read(new byte[] {0x08, 0, 0, 0, 0x12, 0x34, 0x56, 0}, 0, 8);
    assertEquals(0x08, h.flags());
    assertEquals(0x123456, h.vni());
    refused("7 bytes of UDP payload, a VXLAN header needs 8", () -> VxlanHeader.read(new byte[7], 0, 7));
  }
}
