package meshplane.vxlan.userspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import meshplane.testkit.Command;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cutting a TCP super-segment: lengths, sequence numbers, flags and ids checked here, and every
 * checksum judged by tcpdump reading the segments from a pcap file (the independent witness).
 */
@Tag("unit")
class TcpSegmentationTest {
  static final int PAYLOAD = 3000;

  /** eA -> eB, id 0x1234, DF, seq 1000, flags CWR|ACK|PSH|FIN, TCP timestamps; checksum left partial. */
  static ByteBuf superSegment(int protocol) {
    String headers = "02420a630003" + "02420a630002" + "0800"
        + "4500" + String.format("%04x", 20 + 32 + PAYLOAD) + "1234" + "4000" + "40" + String.format("%02x", protocol)
        + "0000" + "0a630002" + "0a630003"
        + "b1541451" + "000003e8" + "00000007" + "8099" + "0040" + "abcd" + "0000" + "0101080a38e6cd5300000000";
    ByteBuf f = Unpooled.buffer();
    f.writeBytes(HexFormat.of().parseHex(headers));
    for (int i = 0; i < PAYLOAD; i++) {
      f.writeByte(i * 7);
    }
    return f;
  }

  static List<byte[]> cut(ByteBuf frame) {
    List<byte[]> out = new ArrayList<>();
    ByteBuf scratch = Unpooled.directBuffer(14 + 1450, 14 + 1450);
    int n = TcpSegmentation.segment(frame, 1450, scratch, s -> out.add(ByteBufUtil.getBytes(s)));
    assertEquals(out.size(), n);
    scratch.release();
    return out;
  }

  @Test
  void aSuperSegmentIsCutAsTheKernelWould(@TempDir Path dir) throws Exception {
    ByteBuf frame = superSegment(6);
    List<byte[]> segments = cut(frame);
    assertEquals(3, segments.size());
    int[] lengths = {14 + 52 + 1398, 14 + 52 + 1398, 14 + 52 + 204};
    long[] seqs = {1000, 2398, 3796};
    int[] flags = {0x90, 0x10, 0x19}; // CWR on the first only; PSH and FIN on the last only
    ByteArrayOutputStream payload = new ByteArrayOutputStream();
    for (int i = 0; i < 3; i++) {
      ByteBuffer s = ByteBuffer.wrap(segments.get(i));
      assertEquals(lengths[i], s.capacity());
      assertEquals(lengths[i] - 14, s.getShort(16) & 0xffff, "IP total length");
      assertEquals(0x1234 + i, s.getShort(18) & 0xffff, "IP id");
      assertEquals(seqs[i], s.getInt(14 + 20 + 4) & 0xffffffffL, "TCP seq");
      assertEquals(7, s.getInt(14 + 20 + 8), "TCP ack");
      assertEquals(flags[i], s.get(14 + 20 + 13) & 0xff, "TCP flags");
      assertEquals(0x0101080a, s.getInt(14 + 20 + 20), "TCP options copied");
      payload.write(segments.get(i), 14 + 52, lengths[i] - 14 - 52);
    }
    byte[] original = new byte[PAYLOAD];
    frame.getBytes(14 + 52, original);
    assertArrayEquals(original, payload.toByteArray());

    String dump = Command.run("tcpdump", "-nn", "-vv", "-r", pcap(dir, segments).toString()).orThrow();
    assertEquals(3, dump.split("cksum 0x[0-9a-f]{4} \\(correct\\)", -1).length - 1, dump);
    assertFalse(dump.contains("bad cksum") || dump.contains("incorrect"), dump);
  }

  @Test
  void framesThatAreNoTcpSuperSegmentAreNotCut() {
    assertTrue(cut(superSegment(17)).isEmpty(), "UDP: its datagram boundaries are unknown");
    ByteBuf fragment = superSegment(6);
    fragment.setShort(14 + 6, 0x2000);
    assertTrue(cut(fragment).isEmpty());
    ByteBuf shortened = superSegment(6);
    shortened.writerIndex(shortened.writerIndex() - 1); // IP total length now says one byte more
    assertTrue(cut(shortened).isEmpty());
  }

  /** A classic pcap file (Ethernet link type) holding {@code frames}. */
  static Path pcap(Path dir, List<byte[]> frames) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(24 + frames.stream().mapToInt(f -> 16 + f.length).sum()).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
    int t = 0;
    for (byte[] f : frames) {
      b.putInt(1_700_000_000).putInt(t++).putInt(f.length).putInt(f.length).put(f);
    }
    Path file = dir.resolve("segments.pcap");
    Files.write(file, b.array());
    return file;
  }
}
