package meshplane.vxlan.userspace;

import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * The TAP readers' way onto the underlay channel: a batch of frames is handed to the channel's
 * event loop as one task, written there (through {@link VxlanCodec}) and flushed once, so the
 * transport sends the batch with one {@code sendmmsg} (epoll) or one ring submission (io_uring).
 * One cross-thread hand-off per batch, not per frame.
 *
 * <p>Frames meet a full outbound buffer (the socket could not keep up) or a closed channel are
 * released and counted as congested: as the kernel VTEP's queue would, the VTEP drops and lets
 * TCP back off rather than queue without bound.
 */
final class Uplink {
  private final Channel channel;
  private final VtepStats stats;

  Uplink(Channel channel, VtepStats stats) {
    this.channel = channel;
    this.stats = stats;
  }

  /**
   * Takes ownership of {@code frames}; {@code done} runs once they are all written or dropped
   * (on the event loop, or here if the loop is gone).
   */
  void send(List<VxlanFrame> frames, Runnable done) {
    try {
      channel.eventLoop().execute(() -> writeAll(frames, done));
    } catch (RejectedExecutionException e) {
      drop(frames, 0);
      done.run();
    }
  }

  private void writeAll(List<VxlanFrame> frames, Runnable done) {
    int taken = 0;
    try {
      boolean wrote = false;
      while (taken < frames.size()) {
        VxlanFrame f = frames.get(taken++);
        if (channel.isWritable()) {
          channel.write(f, channel.voidPromise());
          wrote = true;
        } else {
          f.release();
          stats.droppedCongested.increment();
        }
      }
      if (wrote) {
        channel.flush();
        stats.txBatches.increment();
      }
    } finally {
      drop(frames, taken);
      done.run();
    }
  }

  private void drop(List<VxlanFrame> frames, int from) {
    for (int i = from; i < frames.size(); i++) {
      frames.get(i).release();
      stats.droppedCongested.increment();
    }
  }
}
