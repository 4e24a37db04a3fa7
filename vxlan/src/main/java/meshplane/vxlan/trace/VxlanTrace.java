package meshplane.vxlan.trace;

import java.io.EOFException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import meshplane.netlink.NetNamespace;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;

/**
 * A live capture of VXLAN packets on an interface inside a network namespace (a lab node's
 * {@code eth0}), printing one {@link VxlanPacketLine} per packet and optionally writing the
 * packets to a pcap file, as {@code tcpdump -i eth0 -w FILE udp dst port 4789} would:
 *
 * <pre>
 *   try (VxlanTrace trace = VxlanTrace.open(TraceSpec.of("mp-lab-node2").withCount(6L), System.out::println)) {
 *     TraceSummary summary = trace.run();   // blocks until 6 packets, the timeout, or stop()
 *   }
 * </pre>
 *
 * <p>libpcap opens its packet socket in the network namespace of the calling thread, so the
 * handle is opened (and the capture loop runs) on a platform thread that entered the namespace
 * ({@link NetNamespace#call}); no thread of the caller changes namespace. The capture is live
 * as soon as {@link #open} returns: packets that arrive before {@link #run} wait in the socket.
 *
 * <p>The kernel keeps only UDP to the VXLAN port (BPF {@code udp dst port 4789}); the VXLAN
 * header, the VNI filter and the inner frame are decoded here. The handle is in immediate mode,
 * so each packet is printed as it comes. A read blocks until a packet arrives, however long the
 * wire stays quiet (a libpcap read timeout does not fire on an idle Linux capture); the timeout
 * and {@link #stop} end it with {@code pcap_breakloop}, which since libpcap 1.10 (Debian 12 has
 * 1.10.3) wakes a read blocked in poll().
 */
public final class VxlanTrace implements AutoCloseable {
  private static final int SNAPLEN = 262_144;
  private static final long CLOSE_WAIT_MILLIS = 2_000;

  private final TraceSpec spec;
  private final Consumer<String> lines;
  private final NetNamespace namespace;
  private final PcapHandle handle;
  private final PcapDumper dumper;
  private final ZoneId zone = ZoneId.systemDefault();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile boolean stopRequested;
  private volatile boolean timedOut;

  private VxlanTrace(TraceSpec spec, Consumer<String> lines, NetNamespace namespace, PcapHandle handle, PcapDumper dumper) {
    this.spec = spec;
    this.lines = lines;
    this.namespace = namespace;
    this.handle = handle;
    this.dumper = dumper;
  }

  /**
   * Opens the capture: enters the namespace, opens {@code spec.iface()} with libpcap (immediate
   * mode, not promiscuous), sets the BPF filter, and opens the dump file if one is asked for.
   * Each line printed goes to {@code lines}, on the capture's thread.
   *
   * @throws IllegalStateException naming the capture when libpcap refuses (no such interface,
   *     no permission, a file that cannot be written)
   */
  public static VxlanTrace open(TraceSpec spec, Consumer<String> lines) {
    NetNamespace ns = NetNamespace.open(spec.namespace());
    PcapHandle handle = null;
    try {
      handle = ns.call(() -> openHandle(spec));
      PcapDumper dumper = null;
      if (spec.dumpFile() != null) {
        try {
          dumper = handle.dumpOpen(spec.dumpFile().toString());
        } catch (PcapNativeException | NotOpenException e) {
          throw new IllegalStateException(spec.describe() + ": cannot write pcap file " + spec.dumpFile() + ": " + e.getMessage(), e);
        }
      }
      return new VxlanTrace(spec, lines, ns, handle, dumper);
    } catch (RuntimeException e) {
      if (handle != null) {
        handle.close();
      }
      ns.close();
      throw e;
    }
  }

  /** Runs on a thread inside the namespace: libpcap's socket is born there. */
  private static PcapHandle openHandle(TraceSpec spec) {
    PcapHandle handle;
    try {
      handle = new PcapHandle.Builder(spec.iface())
          .snaplen(SNAPLEN)
          .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
          .immediateMode(true)
          .build();
    } catch (PcapNativeException e) {
      throw new IllegalStateException(spec.describe() + ": " + e.getMessage(), e);
    }
    try {
      handle.setFilter(spec.bpfFilter(), BpfCompileMode.OPTIMIZE);
      return handle;
    } catch (PcapNativeException | NotOpenException e) {
      handle.close();
      throw new IllegalStateException(spec.describe() + ": BPF filter \"" + spec.bpfFilter() + "\": " + e.getMessage(), e);
    }
  }

  /**
   * Captures until {@code count} packets are printed, the timeout runs out, or {@link #stop} is
   * called, whichever is first; blocks the caller meanwhile. Runs once.
   */
  public TraceSummary run() {
    if (closed.get()) {
      throw new IllegalStateException(spec.describe() + ": closed");
    }
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException(spec.describe() + ": already run");
    }
    Thread timer = spec.timeout() == null ? null : startTimer(spec.timeout());
    try {
      return namespace.call(this::loop);
    } finally {
      finished.countDown();
      if (timer != null) {
        timer.interrupt();
      }
    }
  }

  /** A daemon thread that ends the capture when the timeout runs out. */
  private Thread startTimer(Duration timeout) {
    Thread t = new Thread(() -> {
      try {
        Thread.sleep(timeout.toMillis());
      } catch (InterruptedException e) {
        return; // the capture ended first
      }
      timedOut = true;
      wake();
    }, "trace-timeout-" + spec.namespace());
    t.setDaemon(true);
    t.start();
    return t;
  }

  /** Wakes a read blocked in libpcap: pcap_breakloop (libpcap 1.10 wakes a blocked poll on Linux). */
  private void wake() {
    try {
      handle.breakLoop();
    } catch (NotOpenException e) {
      // closed already: nothing is reading
    }
  }

  private TraceSummary loop() {
    long captured = 0;
    long printed = 0;
    long malformed = 0;
    long otherVni = 0;
    TraceSummary.Stop stop;
    while (true) {
      if (stopRequested) {
        stop = TraceSummary.Stop.STOPPED;
        break;
      }
      if (spec.count() != null && printed >= spec.count()) {
        stop = TraceSummary.Stop.COUNT;
        break;
      }
      if (timedOut) {
        stop = TraceSummary.Stop.TIMEOUT;
        break;
      }
      byte[] frame;
      try {
        frame = handle.getNextRawPacketEx();
      } catch (TimeoutException e) {
        continue;
      } catch (EOFException | NotOpenException e) {
        // pcap_breakloop makes the read return PCAP_ERROR_BREAK, which pcap4j reports as EOF.
        if (stopRequested || timedOut) {
          continue;
        }
        throw new IllegalStateException(spec.describe() + ": the capture ended unexpectedly (" + e + ")", e);
      } catch (PcapNativeException e) {
        throw new IllegalStateException(spec.describe() + ": " + e.getMessage(), e);
      }
      captured++;
      Timestamp ts = handle.getTimestamp();
      Integer wire = handle.getOriginalLength();
      VxlanPacketLine line = VxlanPacketLine.of(LocalTime.ofInstant(ts.toInstant(), zone), frame, wire == null ? frame.length : wire);
      if (spec.vni() != null && (line.vni().isEmpty() || line.vni().getAsInt() != spec.vni())) {
        otherVni++;
        continue;
      }
      printed++;
      if (line.malformed()) {
        malformed++;
      }
      lines.accept(line.text());
      if (dumper != null) {
        dump(frame, ts);
      }
    }
    return new TraceSummary(captured, printed, malformed, otherVni, kernelDropped(), stop);
  }

  private void dump(byte[] frame, Timestamp ts) {
    try {
      dumper.dumpRaw(frame, ts);
      dumper.flush();
    } catch (NotOpenException | PcapNativeException e) {
      throw new IllegalStateException(spec.describe() + ": cannot write pcap file " + spec.dumpFile() + ": " + e.getMessage(), e);
    }
  }

  private long kernelDropped() {
    try {
      return handle.getStats().getNumPacketsDropped();
    } catch (PcapNativeException | NotOpenException e) {
      return -1;
    }
  }

  /** Asks a running capture to end, from any thread: wakes the blocked read; {@link #run} returns at once. */
  public void stop() {
    stopRequested = true;
    wake();
  }

  public TraceSpec spec() {
    return spec;
  }

  /** Stops the capture if it runs, waits briefly for it, then closes the dump file, the handle and the namespace handle. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stop();
    if (started.get()) {
      try {
        finished.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      if (dumper != null) {
        dumper.close();
      }
    } finally {
      handle.close();
      namespace.close();
    }
  }

  @Override
  public String toString() {
    return spec.describe() + " (" + spec.bpfFilter() + (spec.vni() == null ? "" : ", vni " + spec.vni()) + ")";
  }
}
