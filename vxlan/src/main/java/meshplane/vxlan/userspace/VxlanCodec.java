package meshplane.vxlan.userspace;

import meshplane.vxlan.VxlanHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;

/**
 * RFC 7348 encapsulation between {@link DatagramPacket}s and {@link VxlanFrame}s, inbound and
 * outbound. It knows nothing of the transport, the networks or the peers and holds no
 * per-channel state, so one instance serves any number of channels. Other messages pass by.
 *
 * <p>Decode (consumes the datagram's reference): a datagram shorter than
 * {@value VxlanHeader#MIN_DATAGRAM} bytes (header + Ethernet header) or without the I flag is
 * dropped and counted as malformed; otherwise the frame is a retained slice of the datagram, no
 * copy. Reserved bits are ignored, as RFC 7348 says.
 *
 * <p>Encode (consumes the frame's reference): with headroom (see {@link VxlanFrame}) the header
 * is written in front of the frame and the frame's buffer becomes the datagram's; without, the
 * frame is copied behind a header in a new direct buffer and released.
 */
@Sharable
final class VxlanCodec extends ChannelDuplexHandler {
  private final VtepStats stats;

  VxlanCodec(VtepStats stats) {
    this.stats = stats;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof DatagramPacket packet)) {
      ctx.fireChannelRead(msg);
      return;
    }
    VxlanFrame frame = decode(packet);
    if (frame != null) {
      ctx.fireChannelRead(frame);
    }
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (!(msg instanceof VxlanFrame frame)) {
      ctx.write(msg, promise);
      return;
    }
    DatagramPacket datagram;
    try {
      datagram = encode(frame, ctx.alloc());
    } catch (RuntimeException e) {
      promise.tryFailure(e);
      return;
    }
    ctx.write(datagram, promise);
  }

  /** The frame inside {@code packet}, or null (counted) when it is malformed. Releases {@code packet}. */
  VxlanFrame decode(DatagramPacket packet) {
    try {
      stats.rxDatagrams.increment();
      ByteBuf data = packet.content();
      int length = data.readableBytes();
      int start = data.readerIndex();
      if (length < VxlanHeader.MIN_DATAGRAM || !VxlanHeader.hasVni(data, start)) {
        stats.droppedMalformed.increment();
        return null;
      }
      return new VxlanFrame(VxlanHeader.vni(data, start), packet.sender(),
          data.retainedSlice(start + VxlanHeader.LENGTH, length - VxlanHeader.LENGTH));
    } finally {
      packet.release();
    }
  }

  /** The datagram carrying {@code frame} to its peer. Takes the frame's reference. */
  DatagramPacket encode(VxlanFrame frame, ByteBufAllocator alloc) {
    ByteBuf inner = frame.content();
    ByteBuf datagram;
    if (inner.readerIndex() >= VxlanHeader.LENGTH && !inner.isReadOnly()) {
      int start = inner.readerIndex() - VxlanHeader.LENGTH;
      VxlanHeader.set(inner, start, frame.vni());
      datagram = inner.readerIndex(start); // the frame's reference moves to the datagram
    } else {
      try {
        int length = inner.readableBytes();
        datagram = alloc.directBuffer(VxlanHeader.LENGTH + length);
        VxlanHeader.set(datagram, 0, frame.vni());
        datagram.writerIndex(VxlanHeader.LENGTH).writeBytes(inner, inner.readerIndex(), length);
      } finally {
        frame.release();
      }
    }
    stats.txDatagrams.increment();
    return new DatagramPacket(datagram, frame.peer());
  }
}
