package meshplane.vxlan.userspace;

import meshplane.vxlan.VxlanHeader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RX side: a decapsulated {@link VxlanFrame} goes to the TAP of the network with its VNI,
 * written from the event loop; a VNI no carried network uses is dropped and counted, and so is a
 * frame for a carried network from an address that is no VTEP of that network's peers (the
 * kernel VTEP's FDB names the same VTEPs, but the kernel takes a frame from anyone). Before the
 * write, what the sender's kernel left for a NIC is done here: a checksum left partial is
 * finished ({@link PartialChecksums}), a TCP super-segment larger than the network's MTU is cut
 * into segments ({@link TcpSegmentation}); any other frame larger than the MTU is dropped and
 * counted. The frame is released here in every case.
 *
 * <p>Errors the channel reports (failed sends, mostly) are counted and logged at most every ten
 * seconds: the channel keeps running whatever arrives. Not sharable: it holds the scratch buffer
 * segments are built in.
 */
final class VtepHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(VtepHandler.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** Ethernet header + the largest network MTU. */
  private static final int SEGMENT_BUFFER = VxlanHeader.ETHERNET_HEADER + 9000;

  private final Networks networks;
  private final VtepStats stats;
  private final String where;
  private ByteBuf scratch;
  private long lastWarning = System.nanoTime() - WARN_EVERY_NANOS;

  VtepHandler(Networks networks, VtepStats stats, String where) {
    this.networks = networks;
    this.stats = stats;
    this.where = where;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    scratch = ctx.alloc().directBuffer(SEGMENT_BUFFER, SEGMENT_BUFFER);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    scratch.release();
    scratch = null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof VxlanFrame frame)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      NetworkPort port = networks.byVni(frame.vni());
      if (port == null) {
        stats.droppedForeignVni.increment();
        return;
      }
      if (!port.peers().fromPeer(frame.peer().getAddress())) {
        stats.droppedNotPeer.increment();
        return;
      }
      ByteBuf inner = frame.content();
      int mtu = port.network().mtu();
      if (inner.readableBytes() > VxlanHeader.ETHERNET_HEADER + mtu) {
        if (TcpSegmentation.segment(inner, mtu, scratch, segment -> toTap(port, segment, frame)) > 0) {
          stats.rxSuperFramesSegmented.increment();
        } else {
          stats.droppedOversize.increment();
        }
        return;
      }
      if (PartialChecksums.complete(inner)) {
        stats.checksumsCompleted.increment();
      }
      toTap(port, inner, frame);
    } finally {
      frame.release();
    }
  }

  private void toTap(NetworkPort port, ByteBuf inner, VxlanFrame from) {
    try {
      if (port.tap().write(inner)) {
        stats.rxFramesToTap.increment();
        return;
      }
    } catch (IOException e) {
      warn("writing a frame from " + from.peer() + " to " + port.tap().describe() + " failed", e);
    }
    stats.tapWriteErrors.increment();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    stats.sendErrors.increment();
    warn("the underlay channel reported an error", cause);
  }

  private void warn(String what, Throwable cause) {
    long now = System.nanoTime();
    if (now - lastWarning >= WARN_EVERY_NANOS) {
      lastWarning = now;
      LOG.warn("{}: {} (further errors within 10 s are only counted): {}", where, what, cause.toString());
    }
  }
}
