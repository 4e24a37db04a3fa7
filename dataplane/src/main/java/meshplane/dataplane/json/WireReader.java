package meshplane.dataplane.json;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.InvalidStateException;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PeerSpec;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.Protocol;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.ServiceSpec;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;

/**
 * The wire document to the typed state: every value that does not parse (an address, a MAC, a
 * mode) is a problem naming its field by JSON path; all are collected and refused together.
 */
final class WireReader {
  private final List<String> problems = new ArrayList<>();

  private WireReader() {}

  static DataplaneState read(WireState w) {
    WireReader r = new WireReader();
    DataplaneState s = r.state(w);
    if (!r.problems.isEmpty()) {
      throw new InvalidStateException(r.problems);
    }
    return s;
  }

  private void problem(String field, String rule) {
    problems.add(field + ": " + rule);
  }

  private DataplaneState state(WireState w) {
    String node = w.node() == null ? "" : w.node();
    Inet4Address underlay = ipv4("underlay", w.underlay());
    List<NetworkSpec> networks = each("networks", w.networks(), this::network);
    List<EndpointSpec> endpoints = each("endpoints", w.endpoints(), this::endpoint);
    List<PeerSpec> peers = each("peers", w.peers(), this::peer);
    List<ServiceSpec> services = each("services", w.services(), this::service);
    return problems.isEmpty() ? new DataplaneState(node, underlay, networks, endpoints, peers, services) : null;
  }

  private interface Element<W, T> {
    T read(String at, W wire);
  }

  private <W, T> List<T> each(String field, List<W> wires, Element<W, T> element) {
    List<T> out = new ArrayList<>();
    if (wires == null) {
      return out;
    }
    for (int i = 0; i < wires.size(); i++) {
      String at = field + "[" + i + "]";
      if (wires.get(i) == null) {
        problem(at, "must not be null");
        continue;
      }
      T t = element.read(at, wires.get(i));
      if (t != null) {
        out.add(t);
      }
    }
    return out;
  }

  private NetworkSpec network(String at, WireState.Network n) {
    IpPrefix subnet = null;
    try {
      subnet = IpPrefix.parse(n.subnet() == null ? "" : n.subnet());
    } catch (IllegalArgumentException e) {
      problem(at + ".subnet", "\"" + n.subnet() + "\" must be an IPv4 network address with a prefix of /30 or shorter");
    }
    Inet4Address gateway = ipv4(at + ".gateway", n.gateway());
    Optional<Inet4Address> lb = n.lbAddress() == null ? Optional.empty() : Optional.ofNullable(ipv4(at + ".lbAddress", n.lbAddress()));
    if (subnet == null || gateway == null || (n.lbAddress() != null && lb.isEmpty())) {
      return null;
    }
    return new NetworkSpec(n.id() == null ? "" : n.id(), n.vni(), subnet, gateway, n.ingress(), lb);
  }

  private EndpointSpec endpoint(String at, WireState.Endpoint e) {
    Inet4Address ip = ipv4(at + ".ip", e.ip());
    MacAddress mac = mac(at + ".mac", e.mac());
    String network = required(at + ".network", e.network());
    if (ip == null || mac == null || network == null) {
      return null;
    }
    return new EndpointSpec(e.id(), network, ip, mac, e.namespace(), e.iface(), Optional.ofNullable(e.task()));
  }

  private PeerSpec peer(String at, WireState.Peer p) {
    Inet4Address ip = ipv4(at + ".ip", p.ip());
    MacAddress mac = mac(at + ".mac", p.mac());
    Inet4Address vtep = ipv4(at + ".vtep", p.vtep());
    String network = required(at + ".network", p.network());
    if (ip == null || mac == null || vtep == null || network == null) {
      return null;
    }
    return new PeerSpec(network, ip, mac, vtep);
  }

  private ServiceSpec service(String at, WireState.Service s) {
    int before = problems.size();
    EndpointMode mode = EndpointMode.parse(s.endpointMode()).orElse(null);
    if (mode == null) {
      problem(at + ".endpointMode", "\"" + s.endpointMode() + "\" must be vip or dnsrr");
    }
    Map<String, Inet4Address> vips = new LinkedHashMap<>();
    if (s.vips() != null) {
      s.vips().forEach((net, vip) -> {
        Inet4Address a = ipv4(at + ".vips." + net, vip);
        if (a != null) {
          vips.put(net, a);
        }
      });
    }
    List<PortSpec> ports = each(at + ".ports", s.ports(), this::port);
    List<BackendSpec> backends = each(at + ".backends", s.backends(), this::backend);
    if (problems.size() > before) {
      return null;
    }
    return new ServiceSpec(s.name() == null ? "" : s.name(), mode, s.mark(), vips, ports, backends);
  }

  private PortSpec port(String at, WireState.Port p) {
    Protocol protocol = Protocol.parse(p.protocol()).orElse(null);
    if (protocol == null) {
      problem(at + ".protocol", "\"" + p.protocol() + "\" must be tcp or udp");
    }
    PublishMode mode = PublishMode.parse(p.mode()).orElse(null);
    if (mode == null) {
      problem(at + ".mode", "\"" + p.mode() + "\" must be ingress");
    }
    return protocol == null || mode == null ? null : new PortSpec(protocol, p.published(), p.target(), mode);
  }

  private BackendSpec backend(String at, WireState.Backend b) {
    Inet4Address ip = ipv4(at + ".ip", b.ip());
    String network = required(at + ".network", b.network());
    return ip == null || network == null ? null : new BackendSpec(network, ip, Optional.ofNullable(b.task()));
  }

  private String required(String field, String value) {
    if (value == null) {
      problem(field, "is missing");
    }
    return value;
  }

  private Inet4Address ipv4(String field, String text) {
    if (text == null) {
      problem(field, "is missing");
      return null;
    }
    try {
      InetAddress a = IpPrefix.literal(text, text);
      if (a instanceof Inet4Address v4) {
        return v4;
      }
      problem(field, "\"" + text + "\" must be an IPv4 address");
    } catch (IllegalArgumentException e) {
      problem(field, "\"" + text + "\" is not an IP address");
    }
    return null;
  }

  private MacAddress mac(String field, String text) {
    try {
      return MacAddress.parse(text == null ? "" : text);
    } catch (IllegalArgumentException e) {
      problem(field, "\"" + text + "\" must be six hex pairs separated by ':'");
      return null;
    }
  }
}
