package meshplane.vxlan.driver;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.RtnlHandle;
import meshplane.netlink.rtnl.TunTap;
import meshplane.vxlan.Endpoint;
import meshplane.vxlan.EndpointPort;
import meshplane.vxlan.KernelPeers;
import meshplane.vxlan.KernelVtepDevice;
import meshplane.vxlan.OverlayNetwork;
import meshplane.vxlan.OverlaySandbox;
import meshplane.vxlan.Peer;
import meshplane.vxlan.PeerChange;
import meshplane.vxlan.PeerTable;
import meshplane.vxlan.VtepHost;
import meshplane.vxlan.VtepKind;
import meshplane.vxlan.userspace.UserspaceVtep;
import meshplane.nettyio.TransportChoice;

/**
 * Docker's overlay driver for one host: networks (sandbox + VTEP), endpoints and peers, with the
 * VTEP in the kernel (VXLAN device) or in userspace (TAP + Netty). Every operation is
 * idempotent: it reads what the kernel has and changes only what differs, so running it again,
 * or in a restarted process, changes nothing that is already right.
 */
public final class OverlayDriver implements AutoCloseable {
  /** The TAP that stands in for the VXLAN device in a userspace sandbox. */
  public static final String TAP = "mp-tap0";

  private final VtepHost host;
  private final VtepKind kind;
  private final TransportChoice transport;
  private final Map<String, OverlayNetwork> networks = new ConcurrentHashMap<>();
  private final java.util.Set<String> carriedInUserspace = ConcurrentHashMap.newKeySet();
  private UserspaceVtep userspace;

  public OverlayDriver(VtepHost host, VtepKind kind, TransportChoice transport) {
    this.host = host;
    this.kind = kind;
    this.transport = transport;
  }

  public VtepHost host() {
    return host;
  }

  public VtepKind kind() {
    return kind;
  }

  /** The userspace VTEP, once a network has started it. */
  public Optional<UserspaceVtep> userspace() {
    return Optional.ofNullable(userspace);
  }

  /** Creates or repairs the network's sandbox, bridge and VTEP port on this host. */
  public synchronized void ensureNetwork(OverlayNetwork net) {
    OverlayNetwork known = networks.get(net.id());
    if (known != null && !known.equals(net)) {
      removeNetwork(net.id());
    }
    try (NetNamespace sandbox = OverlaySandbox.ensure(host, net); RtnlHandle s = RtnlHandle.open(sandbox)) {
      if (kind == VtepKind.KERNEL) {
        KernelVtepDevice.ensure(host, net, sandbox, s);
      } else {
        ensureUserspacePort(net, sandbox, s);
      }
    }
    networks.put(net.id(), net);
  }

  private void ensureUserspacePort(OverlayNetwork net, NetNamespace sandbox, RtnlHandle s) {
    if (userspace == null) {
      try (NetNamespace hostNs = NetNamespace.open(host.namespace())) {
        userspace = UserspaceVtep.start(hostNs, host.underlay(), net.port(), transport);
      }
    }
    if (carriedInUserspace.contains(net.id()) && s.links().get(TAP).isPresent()) {
      return;
    }
    if (s.links().get(TAP).isPresent()) {
      s.links().delete(TAP); // a TAP whose reader is gone carries nothing
    }
    TunTap tap = TunTap.create(sandbox, TAP, TunTap.Mode.TAP, false);
    try {
      s.links().setMtu(TAP, net.mtu());
      s.links().setMaster(TAP, OverlaySandbox.BRIDGE);
      s.links().setUp(TAP);
    } catch (RuntimeException e) {
      tap.close();
      throw e;
    }
    if (carriedInUserspace.remove(net.id())) {
      userspace.removeNetwork(net.id());
    }
    userspace.addNetwork(net, tap);
    carriedInUserspace.add(net.id());
  }

  /**
   * Removes the network from this host: its sandbox, VTEP port and local endpoints' veths. The
   * VXLAN device is deleted first, synchronously: the namespace itself is torn down by the
   * kernel later, and until then the device would keep its UDP port open in the host.
   */
  public synchronized void removeNetwork(String networkId) {
    OverlayNetwork net = networks.remove(networkId);
    if (userspace != null && carriedInUserspace.remove(networkId)) {
      userspace.removeNetwork(networkId);
    }
    String sandbox = host.sandboxNamespace(networkId);
    if (NetNamespace.exists(sandbox)) {
      try (NetNamespace ns = NetNamespace.open(sandbox); RtnlHandle s = RtnlHandle.open(ns)) {
        for (meshplane.netlink.rtnl.Link l : s.links().list()) {
          if ("vxlan".equals(l.kind())) {
            s.links().delete(l.name()); // also one this process did not create (a restart, a reset)
          }
        }
      }
    }
    OverlaySandbox.remove(host, networkId);
  }

  private OverlayNetwork network(String networkId) {
    OverlayNetwork net = networks.get(networkId);
    if (net == null) {
      throw new IllegalArgumentException("network \"" + networkId + "\" is not on host " + host.namespace()
          + ": ensureNetwork first");
    }
    return net;
  }

  /** Attaches a local endpoint (its namespace must exist) to its network's bridge. */
  public void attach(Endpoint ep) {
    OverlayNetwork net = network(ep.network());
    if (!net.subnet().contains(ep.address().address()) || ep.address().length() != net.subnet().length()
        || ep.address().address().equals(net.gateway())) {
      throw new IllegalArgumentException("endpoint " + ep.id() + ": address " + ep.address()
          + " must be a host of subnet " + net.subnet() + " other than the gateway " + net.gateway().getHostAddress());
    }
    try (NetNamespace sandbox = NetNamespace.open(host.sandboxNamespace(net.id())); RtnlHandle s = RtnlHandle.open(sandbox)) {
      EndpointPort.attach(net, ep, s);
    }
  }

  /** Detaches a local endpoint; its interface disappears from the task's namespace. */
  public void detach(Endpoint ep) {
    OverlayNetwork net = network(ep.network());
    try (NetNamespace sandbox = NetNamespace.open(host.sandboxNamespace(net.id())); RtnlHandle s = RtnlHandle.open(sandbox)) {
      EndpointPort.detach(ep, s);
    }
  }

  /** The peers the VTEP has now for a network (read from the kernel for the kernel VTEP). */
  public List<Peer> peers(String networkId) {
    OverlayNetwork net = network(networkId);
    if (kind == VtepKind.USERSPACE) {
      return List.copyOf(userspace.peers(networkId));
    }
    try (NetNamespace sandbox = NetNamespace.open(host.sandboxNamespace(net.id())); RtnlHandle s = RtnlHandle.open(sandbox)) {
      return KernelPeers.read(net, s);
    }
  }

  /**
   * Makes the network's peers exactly {@code desired}: adds the new, removes the gone, re-points
   * the moved, leaves the rest untouched. Returns the changes made (empty when nothing differed).
   */
  public synchronized List<PeerChange> setPeers(String networkId, Collection<Peer> desired) {
    OverlayNetwork net = network(networkId);
    for (Peer p : desired) {
      if (!p.network().equals(networkId) || !net.subnet().contains(p.ip())) {
        throw new IllegalArgumentException("peer " + p + " does not belong to network " + networkId + " (" + net.subnet() + ")");
      }
    }
    if (kind == VtepKind.USERSPACE) {
      List<PeerChange> changes = PeerTable.diff(userspace.peers(networkId), desired);
      userspace.apply(networkId, changes);
      return changes;
    }
    try (NetNamespace sandbox = NetNamespace.open(host.sandboxNamespace(net.id())); RtnlHandle s = RtnlHandle.open(sandbox)) {
      List<PeerChange> changes = PeerTable.diff(KernelPeers.read(net, s), desired);
      KernelPeers.apply(net, s, changes);
      return changes;
    }
  }

  /** Stops the userspace VTEP if there is one; kernel state stays (it outlives the process). */
  @Override
  public synchronized void close() {
    if (userspace != null) {
      userspace.close();
      userspace = null;
      carriedInUserspace.clear();
    }
  }
}
