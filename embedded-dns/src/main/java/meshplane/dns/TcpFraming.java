package meshplane.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * DNS over TCP's framing (RFC 1035 4.2.2, RFC 7766): each message is preceded by its length as
 * two bytes. The decoder emits one {@code byte[]} per whole message; {@link #frame} does the
 * other way. A zero-length frame is emitted as an empty array (the handler counts and drops it).
 */
final class TcpFraming extends ByteToMessageDecoder {

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    while (in.readableBytes() >= 2) {
      int len = in.getUnsignedShort(in.readerIndex());
      if (in.readableBytes() < 2 + len) {
        return;
      }
      in.skipBytes(2);
      byte[] msg = new byte[len];
      in.readBytes(msg);
      out.add(msg);
    }
  }

  /** {@code wire} with its two-byte length in front. */
  static ByteBuf frame(ByteBufAllocator alloc, byte[] wire) {
    ByteBuf b = alloc.buffer(2 + wire.length);
    b.writeShort(wire.length);
    b.writeBytes(wire);
    return b;
  }
}
