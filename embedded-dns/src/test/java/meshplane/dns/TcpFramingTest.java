package meshplane.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link TcpFraming} on Netty's EmbeddedChannel: the framing itself and its pipelining window. */
@Tag("unit")
class TcpFramingTest {

  /** Records what the framing emits and answers nothing until told. */
  private static final class Recorder extends SimpleChannelInboundHandler<byte[]> {
    final List<byte[]> got = new ArrayList<>();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, byte[] msg) {
      got.add(msg);
    }
  }

  private static ByteBuf frames(int count, int size) {
    ByteBuf b = Unpooled.buffer();
    for (int i = 0; i < count; i++) {
      b.writeShort(size);
      for (int j = 0; j < size; j++) {
        b.writeByte(i + j);
      }
    }
    return b;
  }

  @Test
  void framesSplitAcrossReadsAndSeveralInOneReadComeOutWhole() {
    Recorder r = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(TcpFraming.forUpstream(), r);
    ByteBuf all = frames(3, 5).writeShort(0); // and a zero-length frame
    ch.writeInbound(all.readRetainedSlice(1)); // half a length
    assertEquals(0, r.got.size());
    ch.writeInbound(all.readRetainedSlice(4)); // the length's other half and 3 of 5 bytes
    assertEquals(0, r.got.size());
    ch.writeInbound(all.readRetainedSlice(all.readableBytes()));
    assertEquals(4, r.got.size());
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4}, r.got.get(0));
    assertArrayEquals(new byte[] {2, 3, 4, 5, 6}, r.got.get(2));
    assertEquals(0, r.got.get(3).length, "a zero-length frame is an empty message");
    all.release();
    assertFalse(ch.finish());
  }

  @Test
  void atMostWindowQueriesAreUnansweredAndReadingStopsAtTheWindow() {
    Recorder r = new Recorder();
    TcpFraming framing = TcpFraming.forClient(4);
    EmbeddedChannel ch = new EmbeddedChannel(framing, r);
    ch.writeInbound(frames(100, 20)); // 100 pipelined queries in one read
    assertEquals(4, r.got.size(), "only the window's worth is handed on");
    assertFalse(ch.config().isAutoRead(), "and the connection is not read meanwhile");
    ch.pipeline().fireUserEventTriggered(TcpFraming.ANSWERED);
    assertEquals(5, r.got.size(), "one answered, one more handed on");
    assertFalse(ch.config().isAutoRead());
    for (int i = 0; i < 95; i++) {
      ch.pipeline().fireUserEventTriggered(TcpFraming.ANSWERED);
    }
    assertEquals(100, r.got.size(), "every query is handed on, in order, as answers go out");
    assertEquals((byte) 0, r.got.get(0)[0]);
    assertEquals((byte) 99, r.got.get(99)[0]);
    assertEquals(4, framing.unanswered());
    for (int i = 0; i < 4; i++) {
      ch.pipeline().fireUserEventTriggered(TcpFraming.ANSWERED);
    }
    assertTrue(ch.config().isAutoRead(), "nothing left held and the window open: reading again");
    ch.finish();
  }

  @Test
  void answersTheClientDoesNotTakeStopTheReading() {
    Recorder r = new Recorder();
    EmbeddedChannel ch = new EmbeddedChannel(TcpFraming.forClient(64), r);
    // the channel's own writability, as the outbound buffer's high water mark would set it
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
    ch.writeInbound(frames(10, 20));
    assertEquals(0, r.got.size(), "unwritable: nothing is handed on");
    assertFalse(ch.config().isAutoRead(), "and nothing more is read");
    ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
    ch.runPendingTasks(); // Netty fires the writability change on the channel's loop
    assertEquals(10, r.got.size(), "writable again: the held queries go on");
    assertTrue(ch.config().isAutoRead());
    ch.finish();
  }

  @Test
  void anAnswerWrittenAtOnceDoesNotRecurse() {
    EmbeddedChannel ch = new EmbeddedChannel(TcpFraming.forClient(2), new SimpleChannelInboundHandler<byte[]>() {
      @Override
      protected void channelRead0(ChannelHandlerContext ctx, byte[] msg) {
        ctx.channel().pipeline().fireUserEventTriggered(TcpFraming.ANSWERED); // a local answer: at once
      }
    });
    ch.writeInbound(frames(50_000, 12)); // deep recursion would overflow the stack
    assertTrue(ch.config().isAutoRead());
    ch.finish();
  }
}
