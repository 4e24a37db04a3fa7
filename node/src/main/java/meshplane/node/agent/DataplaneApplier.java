package meshplane.node.agent;

import java.util.List;
import meshplane.dns.DnsApplyReport;
import meshplane.dns.DnsConfig;
import meshplane.dns.DnsServer;
import meshplane.dns.ResolvConf;
import meshplane.mesh.ApplyReport;
import meshplane.mesh.MeshReconciler;
import meshplane.mesh.lb.LbMode;
import meshplane.dataplane.DataplaneState;
import meshplane.netlink.NetNamespace;
import meshplane.vxlan.VtepHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's data plane fed from the control plane: the routing mesh and the embedded DNS are
 * given the node's desired state whenever it differs from the last one applied. The reconciler
 * reads the kernel on its first apply, so a restarted agent changes only what differs.
 */
final class DataplaneApplier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataplaneApplier.class);

  private final VtepHost host;
  private final MeshReconciler mesh;
  private final DnsServer dns;
  private DataplaneState last;

  DataplaneApplier(VtepHost host, String lb) {
    this.host = host;
    LbMode mode;
    try (NetNamespace ns = NetNamespace.open(host.namespace())) {
      LbMode requested = LbMode.parse(lb);
      mode = requested.resolve(ns);
      LOG.info("load balancer: {}", mode.explain(requested, ns));
    }
    this.mesh = new MeshReconciler(host, mode);
    NetNamespace nodeNs = NetNamespace.open(host.namespace());
    this.dns = DnsServer.start(DnsConfig.defaults(ResolvConf.upstreams(java.nio.file.Path.of("/etc/resolv.conf"))), nodeNs);
  }

  String loadBalancer() {
    return mesh.loadBalancer();
  }

  /** Applies {@code desired} when it differs from the last state applied; returns the mesh's changes. */
  synchronized List<String> apply(DataplaneState desired) {
    if (desired.equals(last)) {
      return List.of();
    }
    ApplyReport r = mesh.apply(desired);
    DnsApplyReport d = dns.apply(desired);
    last = desired;
    d.failed().forEach((ns, why) -> LOG.warn("dns: not listening in {}: {}", ns, why));
    return r.changes();
  }

  /** Removes the node's data plane (swarm leave). */
  synchronized List<String> reset() {
    last = null;
    dns.apply(DataplaneState.empty(host.namespace(), host.underlay()));
    return mesh.reset();
  }

  @Override
  public synchronized void close() {
    dns.close();
    mesh.close();
  }
}
