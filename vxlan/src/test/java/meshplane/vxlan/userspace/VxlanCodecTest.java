package meshplane.vxlan.userspace;

import meshplane.vxlan.VxlanHeader;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The VXLAN codec on an EmbeddedChannel, against headers written out by hand from RFC 7348
 * section 5 (flags 0x08, three reserved bytes, the VNI in three bytes, one reserved byte).
 */
@Tag("unit")
class VxlanCodecTest {
  static final HexFormat HEX = HexFormat.of();
  static final InetSocketAddress PEER = new InetSocketAddress("198.18.5.1", 4789);
  static final InetSocketAddress LOCAL = new InetSocketAddress("198.18.5.2", 4789);
  /** An inner frame: dst 02:42:0a:63:00:02, src 02:42:0a:63:00:03, IPv4, four bytes of payload. */
  static final String INNER = "02420a630002" + "02420a630003" + "0800" + "45000014";

  final VtepStats stats = new VtepStats();

  EmbeddedChannel codecOnly() {
    return new EmbeddedChannel(new VxlanCodec(stats));
  }

  static byte[] hex(String s) {
    return HEX.parseHex(s.replace(" ", ""));
  }

  @Test
  void encodeWritesTheRfc7348Header() {
    EmbeddedChannel ch = codecOnly();
    ch.writeOutbound(new VxlanFrame(42, PEER, Unpooled.wrappedBuffer(hex(INNER))));
    DatagramPacket out = ch.readOutbound();
    try {
      assertEquals(PEER, out.recipient());
      // flags I | reserved x3 | VNI 42 = 0x00002a | reserved
      assertEquals("08000000" + "00002a00" + INNER, ByteBufUtil.hexDump(out.content()));
      assertEquals(1, stats.snapshot().txDatagrams());
    } finally {
      out.release();
    }
    assertFalse(ch.finish());
  }

  @Test
  void encodeUsesTheLargestVniAndHeadroomInPlace() {
    EmbeddedChannel ch = codecOnly();
    ByteBuf buf = Unpooled.directBuffer(64);
    buf.writerIndex(VxlanHeader.LENGTH).readerIndex(VxlanHeader.LENGTH).writeBytes(hex(INNER));
    ch.writeOutbound(new VxlanFrame(0xabcdef, PEER, buf));
    DatagramPacket out = ch.readOutbound();
    try {
      assertSame(buf, out.content(), "with 8 bytes of headroom the frame's own buffer is the datagram");
      assertEquals(1, buf.refCnt(), "one reference, now the datagram's");
      assertEquals("08000000" + "abcdef00" + INNER, ByteBufUtil.hexDump(out.content()));
    } finally {
      out.release();
    }
    assertEquals(0, buf.refCnt());
  }

  @Test
  void decodeSlicesTheInnerFrame() {
    EmbeddedChannel ch = codecOnly();
    ByteBuf data = Unpooled.wrappedBuffer(hex("08000000" + "00123400" + INNER));
    ch.writeInbound(new DatagramPacket(data, LOCAL, PEER));
    VxlanFrame frame = ch.readInbound();
    try {
      assertEquals(0x1234, frame.vni());
      assertEquals(PEER, frame.peer());
      assertEquals(INNER, ByteBufUtil.hexDump(frame.content()));
      assertEquals(1, data.refCnt(), "the frame is a retained slice: the datagram lives until the frame is released");
    } finally {
      frame.release();
    }
    assertEquals(0, data.refCnt());
    assertEquals(1, stats.snapshot().rxDatagrams());
    assertEquals(0, stats.snapshot().droppedMalformed());
  }

  @Test
  void reservedBitsAreIgnoredOnReceipt() {
    EmbeddedChannel ch = codecOnly();
    ch.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(hex("ffffffff" + "000001ff" + INNER)), LOCAL, PEER));
    VxlanFrame frame = ch.readInbound();
    assertEquals(1, frame.vni());
    frame.release();
  }

  @Test
  void shortAndFlaglessDatagramsAreDroppedAsMalformed() {
    EmbeddedChannel ch = codecOnly();
    List<ByteBuf> sent = new ArrayList<>();
    String[] bad = {
        "", // empty
        "08", // one byte
        "0800000000002a00", // a header and nothing else
        "0800000000002a00" + INNER.substring(0, 26), // 8 + 13: one byte short of an Ethernet header
        "0000000000002a00" + INNER, // full length, no I flag
        "f7ffffff00002a00" + INNER, // every bit but I
    };
    for (String b : bad) {
      ByteBuf data = Unpooled.wrappedBuffer(hex(b));
      sent.add(data);
      ch.writeInbound(new DatagramPacket(data, LOCAL, PEER));
    }
    assertNull(ch.readInbound(), "nothing malformed goes on");
    VtepCounters c = stats.snapshot();
    assertEquals(bad.length, c.rxDatagrams());
    assertEquals(bad.length, c.droppedMalformed());
    // (an empty wrapped array is Netty's shared EMPTY_BUFFER, which is never freed)
    sent.stream().filter(b -> b.capacity() > 0).forEach(b -> assertEquals(0, b.refCnt(), "a dropped datagram is released"));
  }

  @Test
  void aForeignVniIsDroppedAndCountedByTheHandler() {
    EmbeddedChannel ch = new EmbeddedChannel(new VxlanCodec(stats), new VtepHandler(new Networks(), stats, "test VTEP"));
    ByteBuf data = Unpooled.wrappedBuffer(hex("08000000" + "00002b00" + INNER));
    ch.writeInbound(new DatagramPacket(data, LOCAL, PEER));
    assertNull(ch.readInbound());
    assertEquals(1, stats.snapshot().droppedForeignVni());
    assertEquals(0, stats.snapshot().rxFramesToTap());
    assertEquals(0, data.refCnt());
    assertFalse(ch.finish());
  }

  @Test
  void randomGarbageNeverBreaksThePipeline() {
    EmbeddedChannel ch = new EmbeddedChannel(new VxlanCodec(stats), new VtepHandler(new Networks(), stats, "test VTEP"));
    Random random = new Random(7348);
    List<ByteBuf> sent = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[random.nextInt(100)];
      random.nextBytes(b);
      ByteBuf data = Unpooled.wrappedBuffer(b);
      sent.add(data);
      ch.writeInbound(new DatagramPacket(data, LOCAL, PEER));
    }
    ch.checkException();
    assertNull(ch.readInbound());
    VtepCounters c = stats.snapshot();
    assertEquals(2000, c.rxDatagrams());
    assertEquals(2000, c.droppedMalformed() + c.droppedForeignVni(), c.toString());
    sent.stream().filter(b -> b.capacity() > 0).forEach(b -> assertEquals(0, b.refCnt()));
    // and a good datagram after all that is still decoded
    EmbeddedChannel codec = codecOnly();
    codec.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(hex("08000000" + "00002a00" + INNER)), LOCAL, PEER));
    VxlanFrame frame = codec.readInbound();
    assertArrayEquals(hex(INNER), ByteBufUtil.getBytes(frame.content()));
    frame.release();
  }
}
