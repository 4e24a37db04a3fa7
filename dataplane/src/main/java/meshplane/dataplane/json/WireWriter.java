package meshplane.dataplane.json;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PeerSpec;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.ServiceSpec;

/** The typed state to the wire document, value by value. */
final class WireWriter {
  private WireWriter() {}

  static WireState write(DataplaneState s) {
    return new WireState(s.node(), text(s.underlay()),
        s.networks().stream().map(WireWriter::network).toList(),
        s.endpoints().stream().map(WireWriter::endpoint).toList(),
        s.peers().stream().map(WireWriter::peer).toList(),
        s.services().stream().map(WireWriter::service).toList());
  }

  private static WireState.Network network(NetworkSpec n) {
    return new WireState.Network(n.id(), n.vni(), n.subnet().toString(), text(n.gateway()), n.ingress(),
        n.lbAddress().map(WireWriter::text).orElse(null));
  }

  private static WireState.Endpoint endpoint(EndpointSpec e) {
    return new WireState.Endpoint(e.id(), e.network(), text(e.ip()), e.mac().toString(), e.namespace(), e.iface(),
        e.task().orElse(null));
  }

  private static WireState.Peer peer(PeerSpec p) {
    return new WireState.Peer(p.network(), text(p.ip()), p.mac().toString(), text(p.vtep()));
  }

  private static WireState.Service service(ServiceSpec s) {
    Map<String, String> vips = new LinkedHashMap<>();
    s.vips().forEach((net, vip) -> vips.put(net, text(vip)));
    return new WireState.Service(s.name(), s.endpointMode().wire(), s.mark(), vips,
        s.ports().stream().map(WireWriter::port).toList(),
        s.backends().stream().map(WireWriter::backend).toList());
  }

  private static WireState.Port port(PortSpec p) {
    return new WireState.Port(p.protocol().wire(), p.published(), p.target(), p.mode().wire());
  }

  private static WireState.Backend backend(BackendSpec b) {
    return new WireState.Backend(b.network(), text(b.ip()), b.task().orElse(null));
  }

  private static String text(InetAddress a) {
    return a.getHostAddress();
  }
}
