package meshplane.vxlan.userspace;

import meshplane.vxlan.VxlanHeader;
import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import meshplane.netlink.KernelException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TX side of one network: a dedicated platform thread that reads frames from the network's
 * TAP and decides, frame by frame, as the kernel VXLAN device with {@code nolearning proxy} and
 * static FDB entries would:
 *
 * <ul>
 *   <li>ARP: a request for a peer's IP is answered into the TAP ({@link ArpProxy}); all other ARP
 *       is dropped. ARP never crosses the underlay.
 *   <li>IPv4 to a peer's MAC: copied once into a buffer with {@value VxlanHeader#LENGTH} bytes of
 *       headroom for the VXLAN header and batched for the {@link Uplink}.
 *   <li>Anything else (broadcast, multicast, a MAC that is no peer's, other ethertypes): dropped
 *       and counted. No flooding.
 * </ul>
 *
 * The descriptor is non-blocking: the thread reads until the TAP is empty (or a batch of
 * {@value #MAX_BATCH} is full), hands the batch over, then sleeps in {@code poll} on the TAP and
 * on an eventfd that {@link #stop} signals. At most {@value #BATCHES_IN_FLIGHT} batches wait for
 * the event loop; beyond that the thread stops reading, the TAP's queue fills and the kernel
 * drops there, which TCP understands.
 */
final class TapReader implements Runnable {
  static final int MAX_BATCH = 64;
  static final int BATCHES_IN_FLIGHT = 2;
  /** Larger than any frame a TAP without offloads hands out (its MTU is at most 65535). */
  static final int READ_BUFFER = 65536 + VxlanHeader.ETHERNET_HEADER;

  private static final Logger LOG = LoggerFactory.getLogger(TapReader.class);
  private static final long GROUP_BIT = 1L << 40;

  private final NetworkPort port;
  private final Uplink uplink;
  private final VtepStats stats;
  private final ByteBufAllocator alloc;
  private final Semaphore inFlight = new Semaphore(BATCHES_IN_FLIGHT);
  private final int wakeFd;
  private final Memory pollFds = new Memory(2L * Posix.POLLFD_SIZE);
  private final Thread thread;
  private volatile boolean running = true;
  private boolean tapWriteLogged;

  TapReader(NetworkPort port, Uplink uplink, VtepStats stats, ByteBufAllocator alloc) {
    this.port = port;
    this.uplink = uplink;
    this.stats = stats;
    this.alloc = alloc;
    try {
      this.wakeFd = Posix.eventfd(0, Posix.EFD_CLOEXEC | Posix.EFD_NONBLOCK);
    } catch (LastErrorException e) {
      throw new KernelException("create eventfd for the reader of", port.tap().describe(), e.getErrorCode());
    }
    pollFds.clear();
    pollFds.setInt(0, port.tap().fd());
    pollFds.setShort(4, Posix.POLLIN);
    pollFds.setInt(Posix.POLLFD_SIZE, wakeFd);
    pollFds.setShort(Posix.POLLFD_SIZE + 4, Posix.POLLIN);
    this.thread = new Thread(this, "mp-vtep-tap-" + port.network().id());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Stops the thread and waits for it; frames it had not handed over are released. */
  void stop() {
    running = false;
    try {
      Posix.write(wakeFd, new long[] {1}, 8);
    } catch (LastErrorException e) {
      LOG.warn("{}: cannot signal the reader to stop (errno {}); interrupting it", port.tap().describe(), e.getErrorCode());
    }
    thread.interrupt();
    boolean interrupted = false;
    while (true) {
      try {
        thread.join(5_000);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      throw new IllegalStateException(port.tap().describe() + ": reader thread " + thread.getName()
          + " did not stop within 5 s");
    }
    Posix.close(wakeFd);
    pollFds.close();
  }

  @Override
  public void run() {
    ByteBuffer frame = ByteBuffer.allocateDirect(READ_BUFFER);
    ByteBuffer reply = ByteBuffer.allocateDirect(ArpProxy.FRAME_LENGTH);
    List<VxlanFrame> batch = new ArrayList<>(MAX_BATCH);
    TapDevice tap = port.tap();
    try {
      while (running) {
        int n = tap.read(frame);
        if (n > 0) {
          VxlanFrame out = forward(frame, n, reply);
          if (out != null) {
            batch.add(out);
            if (batch.size() >= MAX_BATCH) {
              batch = handOver(batch);
            }
          }
        } else {
          batch = handOver(batch);
          awaitReadable();
        }
      }
    } catch (InterruptedException e) {
      // stop() interrupts a reader waiting for the event loop
    } catch (IOException | RuntimeException e) {
      if (running) {
        LOG.error("{}: reading frames failed, this network sends nothing more until it is added again", tap.describe(), e);
      }
    } finally {
      batch.forEach(VxlanFrame::release);
    }
  }

  /** The frame to encapsulate, or null when it is answered here or dropped (and counted). */
  private VxlanFrame forward(ByteBuffer frame, int length, ByteBuffer reply) {
    stats.txFramesFromTap.increment();
    if (length < VxlanHeader.ETHERNET_HEADER) {
      stats.droppedMalformed.increment();
      return null;
    }
    PeerRoutes peers = port.peers();
    int ethertype = frame.getShort(12) & 0xffff;
    if (ethertype == ArpProxy.ETHERTYPE_ARP) {
      int replyLength = ArpProxy.answer(frame, length, peers, reply);
      if (replyLength == 0) {
        stats.droppedArp.increment();
      } else if (writeReply(reply, replyLength)) {
        stats.arpRepliesSent.increment();
      }
      return null;
    }
    long dst = ArpProxy.mac(frame, 0);
    InetSocketAddress vtep = (dst & GROUP_BIT) != 0 ? null : peers.vtepFor(dst);
    if (vtep == null) {
      stats.droppedUnknownDestination.increment();
      return null;
    }
    if (ethertype != ArpProxy.ETHERTYPE_IPV4) {
      stats.droppedNotIpv4.increment();
      return null;
    }
    ByteBuf buf = alloc.directBuffer(VxlanHeader.LENGTH + length);
    buf.writerIndex(VxlanHeader.LENGTH).readerIndex(VxlanHeader.LENGTH);
    frame.limit(length);
    buf.writeBytes(frame);
    frame.clear();
    return new VxlanFrame(port.network().vni(), vtep, buf);
  }

  private boolean writeReply(ByteBuffer reply, int length) {
    try {
      if (port.tap().write(reply, length)) {
        return true;
      }
    } catch (IOException e) {
      if (!tapWriteLogged) {
        tapWriteLogged = true;
        LOG.warn("{}: writing an ARP reply failed (further failures counted, not logged): {}", port.tap().describe(), e.toString());
      }
    }
    stats.tapWriteErrors.increment();
    return false;
  }

  private List<VxlanFrame> handOver(List<VxlanFrame> batch) throws InterruptedException {
    if (batch.isEmpty()) {
      return batch;
    }
    inFlight.acquire();
    uplink.send(batch, inFlight::release);
    return new ArrayList<>(MAX_BATCH);
  }

  private void awaitReadable() {
    try {
      Posix.poll(pollFds, 2, -1);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != Posix.EINTR) {
        throw new KernelException("poll", port.tap().describe(), e.getErrorCode());
      }
    }
  }
}
