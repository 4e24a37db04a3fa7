package meshplane.vxlan.userspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Golden frames captured with {@code tcpdump -xx} on the userspace side's underlay veth while the
 * kernel VTEP sent them (see {@link InteropBed}): tcpdump printed each inner checksum as
 * "incorrect -> correct", and the correct value is what the VTEP must write.
 */
@Tag("unit")
class PartialChecksumsTest {
  /** eA -> eB TCP SYN: "cksum 0x14f9 (incorrect -> 0x04eb)". */
  static final String TCP_SYN = "02420a630003 02420a630002 0800"
      + "4500003c97d640004006 8e1b 0a630002 0a630003"
      + "b1541b58 34ce2968 00000000 a002fd5c 14f9 0000 02040582 0402080a 38e6cd53 00000000 0103030a";
  /** eA -> eB UDP "hello\n": "bad udp cksum 0x14ea -> 0x06bb". */
  static final String UDP_HELLO = "02420a630003 02420a630002 0800"
      + "4500002288b740004011 9d49 0a630002 0a630003"
      + "85171b59 000e 14ea 68656c6c6f0a";

  static ByteBuf frame(String hex) {
    return Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));
  }

  @Test
  void aPartialTcpChecksumIsFinished() {
    ByteBuf f = frame(TCP_SYN);
    assertTrue(PartialChecksums.complete(f));
    assertEquals(0x04eb, f.getUnsignedShort(14 + 20 + 16));
    assertEquals(TCP_SYN.replace(" ", "").replace("fd5c14f9", "fd5c04eb"), ByteBufUtil.hexDump(f));
    assertFalse(PartialChecksums.complete(f), "a finished checksum is left alone");
  }

  @Test
  void aPartialUdpChecksumIsFinished() {
    ByteBuf f = frame(UDP_HELLO);
    assertTrue(PartialChecksums.complete(f));
    assertEquals(0x06bb, f.getUnsignedShort(14 + 20 + 6));
  }

  @Test
  void fragmentsOtherProtocolsAndShortFramesAreLeftAlone() {
    String fragment = TCP_SYN.replace("4500003c97d640004006", "4500003c97d620004006"); // MF set
    String icmp = TCP_SYN.replace("4500003c97d640004006", "4500003c97d640004001");
    String ipv6 = TCP_SYN.replace("0800" + "4500", "86dd" + "4500");
    String truncated = TCP_SYN.replace(" ", "").substring(0, 2 * 60);
    for (String s : new String[] {fragment, icmp, ipv6, truncated}) {
      ByteBuf f = frame(s);
      assertFalse(PartialChecksums.complete(f), s);
      assertEquals(s.replace(" ", ""), ByteBufUtil.hexDump(f));
    }
  }
}
