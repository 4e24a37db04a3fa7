package meshplane.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * DNS over TCP's framing (RFC 1035 4.2.2, RFC 7766) with a window on pipelining: each message is
 * preceded by its length as two bytes; this emits one {@code byte[]} per whole message (a
 * zero-length one as an empty array, which the handler counts and drops), and {@link #frame}
 * does the other way.
 *
 * <p>It emits a message only while fewer than {@code window} emitted ones are unanswered (the
 * handler fires {@link #ANSWERED} as it writes each answer) and the connection is writable
 * (its queued answers are under the high water mark), and at most {@code window} in one turn of
 * the event loop: the rest wait for the next turn, after the loop's other connections. When either stops it, it turns reading
 * off ({@code autoRead}); reading comes back on only once every whole message it holds has been
 * emitted. So a client that pipelines thousands of queries, or writes and never reads, makes the
 * daemon hold at most one read plus one partial message of its input and {@code window} answers
 * plus the high water mark of its output; its writes then wait in the kernel's buffers, and the
 * connection idles out. Netty's {@code ByteToMessageDecoder} is not used because it asks for
 * another read when a read decoded nothing with reading off, which is exactly the case here.
 */
final class TcpFraming extends ChannelInboundHandlerAdapter {
  /** Fired (as a user event) by the handler after each answer is written; also on writability. */
  static final Object ANSWERED = new Object() {
    @Override
    public String toString() {
      return "TcpFraming.ANSWERED";
    }
  };

  private final int window;
  private final boolean gated;
  private ByteBuf held;
  private int unanswered;
  /** True while {@link #emit} runs: an answer written at once (a local one) must not recurse into it. */
  private boolean emitting;
  /** True while an {@link #emit} is queued on the loop to go on after this connection's turn. */
  private boolean queued;

  private TcpFraming(int window, boolean gated) {
    this.window = window;
    this.gated = gated;
  }

  /** A client connection's framing: at most {@code window} queries unanswered, and only while writable. */
  static TcpFraming forClient(int window) {
    return new TcpFraming(window, true);
  }

  /**
   * An upstream connection's framing: answers are always read (each ends a query of ours, and
   * what we write is bounded by the forwarder's queries in flight).
   */
  static TcpFraming forUpstream() {
    return new TcpFraming(0, false);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf in)) {
      ctx.fireChannelRead(msg);
      return;
    }
    if (held == null) {
      held = in;
    } else {
      ByteBuf both = ctx.alloc().buffer(held.readableBytes() + in.readableBytes());
      both.writeBytes(held).writeBytes(in);
      held.release();
      in.release();
      held = both;
    }
    emit(ctx);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == ANSWERED) {
      unanswered--;
      if (!emitting) {
        emit(ctx);
      }
    } else {
      ctx.fireUserEventTriggered(evt);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (!emitting) {
      emit(ctx);
    }
    ctx.fireChannelWritabilityChanged();
  }

  /** Emits the whole messages held while the window is open; reading is on only when none is left. */
  private void emit(ChannelHandlerContext ctx) {
    emitting = true;
    try {
      emitWhole(ctx);
    } finally {
      emitting = false;
    }
  }

  private void emitWhole(ChannelHandlerContext ctx) {
    int turn = 0;
    while (open(ctx) && held != null && held.readableBytes() >= 2 && !(gated && turn >= window)) {
      int len = held.getUnsignedShort(held.readerIndex());
      if (held.readableBytes() < 2 + len) {
        break;
      }
      held.skipBytes(2);
      byte[] msg = new byte[len];
      held.readBytes(msg);
      if (gated) {
        unanswered++;
        turn++;
      }
      ctx.fireChannelRead(msg);
    }
    if (held != null && !held.isReadable()) {
      held.release();
      held = null;
    }
    boolean whole = held != null && held.readableBytes() >= 2 && held.readableBytes() >= 2 + held.getUnsignedShort(held.readerIndex());
    boolean read = open(ctx) && !whole;
    if (ctx.channel().isActive() && ctx.channel().config().isAutoRead() != read) {
      ctx.channel().config().setAutoRead(read);
    }
    if (open(ctx) && whole && !queued) {
      // this turn's window handed on (local answers free it at once): the rest after the other
      // connections on this loop have had theirs, so one client's pipeline cannot hold the loop
      queued = true;
      ctx.executor().execute(() -> {
        queued = false;
        emit(ctx);
      });
    }
  }

  private boolean open(ChannelHandlerContext ctx) {
    if (!gated) {
      return !ctx.isRemoved();
    }
    return unanswered < window && ctx.channel().isWritable() && !ctx.isRemoved();
  }

  /** Messages emitted and not yet answered, for tests. */
  int unanswered() {
    return unanswered;
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    if (held != null) {
      held.release();
      held = null;
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
