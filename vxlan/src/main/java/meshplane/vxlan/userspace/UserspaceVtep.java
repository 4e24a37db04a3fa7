package meshplane.vxlan.userspace;

import meshplane.nettyio.TransportChoice;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.TunTap;
import meshplane.vxlan.OverlayNetwork;
import meshplane.vxlan.Peer;
import meshplane.vxlan.PeerChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A VXLAN tunnel endpoint in userspace, standing in for the kernel's VXLAN device: each carried
 * network has a TAP on its sandbox bridge, and one Netty UDP channel, bound in the host's
 * namespace on the underlay address and the VXLAN port, carries every network's frames as RFC
 * 7348 datagrams. It interoperates with the kernel VTEP ({@code nolearning proxy}, static FDB
 * and neighbours): the same peers, the same ARP proxy, no flooding, no learning.
 *
 * <pre>
 *  sandbox bridge ── TAP ──read── TapReader thread ──batch──▶ event loop ─ VxlanCodec ─▶ UDP socket (host ns)
 *                       ◀─write── event loop ◀─ VtepHandler (VNI ▶ TAP) ◀─ VxlanCodec ◀─ UDP socket
 * </pre>
 *
 * <p>Threads: one event-loop thread (io_uring or epoll, see {@link TransportChoice}) owns the
 * socket, decapsulates and writes inner frames to the TAPs; one platform thread per network
 * reads its TAP, answers ARP, encapsulates and hands batches to the event loop.
 *
 * <p>What the kernel VTEP would get from the kernel, this one does itself: a checksum a sender
 * left for a NIC is finished ({@code PartialChecksums}) and a TSO super-segment a veth underlay
 * delivered whole is cut to the MTU ({@code TcpSegmentation}) before the TAP.
 *
 * <p>What limits it: every frame costs a TAP read or write syscall and its own trip through the
 * sandbox's kernel path (bridge, bridge netfilter hooks, veth, the endpoint's TCP), because the
 * TAP has no offloads (no {@code IFF_VNET_HDR}): the kernel hands over and takes back frames of
 * at most the network MTU, one per syscall, where the kernel VTEP moves 64 KB GSO/GRO aggregates
 * in softirq. One event-loop thread does all RX decapsulation and TAP writes, and its sends carry
 * the receiving host's softirq work when the underlay is a veth. Java's own share of that thread
 * is about a sixth. Measured on a 2-vCPU VM with both hosts, both endpoints and iperf3 on the same
 * two cores: about 0.3 to 0.7 Gbit/s either way against the kernel VTEP, where kernel to kernel
 * does 8 Gbit/s; a TAP with {@code IFF_VNET_HDR} and {@code TUNSETOFFLOAD} (super-frames passed
 * through, not cut) is the way to a few Gbit/s.
 */
public final class UserspaceVtep implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UserspaceVtep.class);

  private final String where;
  private final int port;
  private final Transport transport;
  private final EventLoopGroup group;
  private final Channel channel;
  private final Networks networks;
  private final VtepStats stats;
  private final Uplink uplink;
  private final Map<String, TapReader> readers = new HashMap<>();
  private boolean closed;

  private UserspaceVtep(String where, int port, Transport transport, EventLoopGroup group, Channel channel,
      Networks networks, VtepStats stats) {
    this.where = where;
    this.port = port;
    this.transport = transport;
    this.group = group;
    this.channel = channel;
    this.networks = networks;
    this.stats = stats;
    this.uplink = new Uplink(channel, stats);
  }

  /**
   * Binds a UDP channel inside {@code hostNs} on {@code local:port} with {@code transport} (AUTO
   * = io_uring where Netty says it is available, else epoll; the choice is logged and reported by
   * {@link #transport()}). The socket is created on a thread inside {@code hostNs}, so it lives
   * there whatever thread uses it later.
   */
  public static UserspaceVtep start(NetNamespace hostNs, Inet4Address local, int port, TransportChoice transport) {
    if (hostNs == null || local == null || transport == null) {
      throw new IllegalArgumentException("start userspace VTEP: host namespace, local address and transport are required, got "
          + hostNs + ", " + local + ", " + transport);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("start userspace VTEP on " + local.getHostAddress() + ": port " + port
          + " must be between 1 and 65535");
    }
    String where = "userspace VTEP " + local.getHostAddress() + ":" + port + " in netns " + hostNs.name();
    Transport chosen = Transport.select(transport, where);
    VtepStats stats = new VtepStats();
    Networks networks = new Networks();
    VxlanCodec codec = new VxlanCodec(stats);
    EventLoopGroup group = chosen.newEventLoopGroup("mp-vtep-" + port);
    Channel channel;
    try {
      channel = hostNs.call(() -> chosen.bootstrap(group)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast("vxlan", codec).addLast("vtep", new VtepHandler(networks, stats, where));
            }
          })
          .bind(new InetSocketAddress(local, port)).sync().channel());
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new IllegalStateException(where + ": bind failed: " + e.getMessage(), e);
    }
    LOG.info("{}: started on {} (requested {})", where, chosen.name(), transport);
    return new UserspaceVtep(where, port, chosen, group, channel, networks, stats);
  }

  /**
   * Starts carrying {@code net}: frames read from {@code tap} go out encapsulated with the
   * network's VNI, datagrams with that VNI are written to {@code tap}. Takes ownership of
   * {@code tap} (closed on {@link #removeNetwork} or {@link #close}); if this throws, the tap is
   * still the caller's. The network starts with no peers.
   */
  public synchronized void addNetwork(OverlayNetwork net, TunTap tap) {
    checkOpen("add network " + (net == null ? null : net.id()));
    if (net == null || tap == null) {
      throw new IllegalArgumentException(where + ": add network needs a network and its TAP, got " + net + ", " + tap);
    }
    if (net.port() != port) {
      throw new IllegalArgumentException(where + ": add network " + net.id() + ": its VXLAN port " + net.port()
          + " is not this VTEP's port " + port);
    }
    if (networks.byId(net.id()) != null) {
      throw new IllegalArgumentException(where + ": add network " + net.id() + ": it is carried already (remove it first)");
    }
    NetworkPort networkPort = new NetworkPort(net, new TapDevice(tap, net.id()));
    TapReader reader = new TapReader(networkPort, uplink, stats, channel.alloc());
    networks.add(networkPort);
    readers.put(net.id(), reader);
    reader.start();
    LOG.info("{}: carrying network {} (vni {}) on {}", where, net.id(), net.vni(), networkPort.tap().describe());
  }

  /** Stops carrying a network and closes its TAP. A network that is not carried is left alone. */
  public synchronized void removeNetwork(String networkId) {
    NetworkPort networkPort = networks.remove(networkId);
    if (networkPort == null) {
      return;
    }
    readers.remove(networkId).stop();
    // The event loop may be writing to this TAP right now: close it there, after that write, so
    // the descriptor number is never reused under a write in flight.
    EventLoop loop = channel.eventLoop();
    if (loop.inEventLoop() || loop.isShuttingDown()) {
      networkPort.tap().close();
    } else {
      loop.submit(networkPort.tap()::close).awaitUninterruptibly();
    }
    LOG.info("{}: no longer carrying network {}", where, networkId);
  }

  /**
   * Applies peer changes for one network (Add / Remove / Repoint) to the in-memory table, all or
   * none: a change that does not fit (a Remove of a peer that is not there, a peer of another
   * network) is refused naming it, and the table is left as it was.
   */
  public void apply(String networkId, List<PeerChange> changes) {
    port(networkId, "apply peer changes to").apply(List.copyOf(changes));
  }

  /** The peers the VTEP has now for a network (so the caller can diff desired against it). */
  public Set<Peer> peers(String networkId) {
    return port(networkId, "list peers of").peerSet();
  }

  public VtepCounters counters() {
    return stats.snapshot();
  }

  /** The transport the channel runs on: "io_uring" or "epoll". */
  public String transport() {
    return transport.name();
  }

  /** The address the channel is bound to. */
  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Stops every network (closing their TAPs), closes the channel and stops the event loop. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException first = null;
    for (String id : List.copyOf(readers.keySet())) {
      try {
        removeNetwork(id);
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    LOG.info("{}: stopped; {}", where, stats.snapshot());
    if (first != null) {
      throw new IllegalStateException(where + ": close: a network did not stop cleanly: " + first.getMessage(), first);
    }
  }

  private NetworkPort port(String networkId, String operation) {
    NetworkPort p = networks.byId(networkId);
    if (p == null) {
      throw new IllegalArgumentException(where + ": " + operation + " network " + networkId + ": it is not carried");
    }
    return p;
  }

  private void checkOpen(String operation) {
    if (closed) {
      throw new IllegalStateException(where + ": " + operation + ": the VTEP is closed");
    }
  }

  @Override
  public String toString() {
    return where + " on " + transport.name();
  }
}
