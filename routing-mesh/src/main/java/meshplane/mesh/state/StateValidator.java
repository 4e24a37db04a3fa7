package meshplane.mesh.state;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;

/**
 * Checks a {@link DataplaneState} whole: names, ranges, addresses inside their subnets,
 * uniqueness (network ids, VNIs, endpoint IPs and MACs, marks, published ports) and overlap of
 * subnets. Every problem is collected; if there is any, the state is refused and nothing is
 * programmed.
 */
public final class StateValidator {
  private static final java.util.regex.Pattern NETWORK_ID = java.util.regex.Pattern.compile("[a-z0-9]{1,12}");
  private static final java.util.regex.Pattern ENDPOINT_ID = java.util.regex.Pattern.compile("[a-z0-9]{1,10}");
  private static final java.util.regex.Pattern IFACE = java.util.regex.Pattern.compile("[a-zA-Z0-9_.-]{1,15}");
  private static final java.util.regex.Pattern DNS_LABEL = java.util.regex.Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private final List<String> problems = new ArrayList<>();
  private final Map<String, IpPrefix> subnets = new HashMap<>();
  private final Map<String, Set<InetAddress>> taken = new HashMap<>();
  private final Set<String> lbAddresses = new HashSet<>();
  private String ingressNetwork;

  private StateValidator() {}

  /** Returns normally when {@code s} is valid; otherwise throws with every problem found. */
  public static void check(DataplaneState s) {
    StateValidator v = new StateValidator();
    v.node(s);
    v.networks(s.networks());
    v.endpoints(s.endpoints());
    v.peers(s.peers());
    v.services(s.services());
    if (!v.problems.isEmpty()) {
      throw new InvalidStateException(v.problems);
    }
  }

  private void problem(String field, String rule) {
    problems.add(field + ": " + rule);
  }

  private void node(DataplaneState s) {
    if (s.node() == null || s.node().isBlank()) {
      problem("node", "must name the node");
    }
    ipv4("underlay", s.underlay());
  }

  private InetAddress ipv4(String field, String text) {
    if (text == null) {
      problem(field, "is missing");
      return null;
    }
    try {
      InetAddress a = IpPrefix.literal(text, text);
      if (!(a instanceof Inet4Address)) {
        problem(field, "\"" + text + "\" must be an IPv4 address");
        return null;
      }
      return a;
    } catch (IllegalArgumentException e) {
      problem(field, "\"" + text + "\" is not an IP address");
      return null;
    }
  }

  private boolean mac(String field, String text) {
    try {
      MacAddress.parse(text == null ? "" : text);
      return true;
    } catch (IllegalArgumentException e) {
      problem(field, "\"" + text + "\" must be six hex pairs separated by ':'");
      return false;
    }
  }

  private void networks(List<NetworkSpec> networks) {
    Set<Integer> vnis = new HashSet<>();
    int ingress = 0;
    for (int i = 0; i < networks.size(); i++) {
      NetworkSpec n = networks.get(i);
      String at = "networks[" + i + "]";
      if (n.id() == null || !NETWORK_ID.matcher(n.id()).matches()) {
        problem(at + ".id", "\"" + n.id() + "\" must be 1 to 12 lowercase letters or digits");
        continue;
      }
      if (subnets.containsKey(n.id())) {
        problem(at + ".id", "\"" + n.id() + "\" is used by an earlier network");
        continue;
      }
      if (n.vni() < 1 || n.vni() > 0xffffff) {
        problem(at + ".vni", n.vni() + " must be between 1 and 16777215");
      } else if (!vnis.add(n.vni())) {
        problem(at + ".vni", n.vni() + " is used by an earlier network");
      }
      if (n.ingress()) {
        ingress++;
        ingressNetwork = n.id();
      }
      IpPrefix subnet = subnet(at + ".subnet", n.subnet());
      if (subnet == null) {
        continue;
      }
      for (Map.Entry<String, IpPrefix> other : subnets.entrySet()) {
        if (other.getValue().contains(subnet.address()) || subnet.contains(other.getValue().address())) {
          problem(at + ".subnet", subnet + " overlaps network " + other.getKey() + "'s " + other.getValue());
        }
      }
      subnets.put(n.id(), subnet);
      taken.put(n.id(), new HashSet<>());
      inside(at + ".gateway", n.gateway(), n.id());
      if (n.lbAddress() != null && inside(at + ".lbAddress", n.lbAddress(), n.id()) != null) {
        lbAddresses.add(n.id());
      }
    }
    if (ingress > 1) {
      problem("networks", "at most one network may be the ingress network, " + ingress + " are");
    }
  }

  private IpPrefix subnet(String field, String text) {
    try {
      IpPrefix p = IpPrefix.parse(text == null ? "" : text);
      if (!p.isIpv4() || p.length() > 30 || !p.network().equals(p)) {
        problem(field, "\"" + text + "\" must be an IPv4 network address with a prefix of /30 or shorter");
        return null;
      }
      return p;
    } catch (IllegalArgumentException e) {
      problem(field, "\"" + text + "\" must be an IPv4 network address with a prefix of /30 or shorter");
      return null;
    }
  }

  /** Checks that {@code text} is a host address of network {@code net} not used yet, and takes it. */
  private InetAddress inside(String field, String text, String net) {
    InetAddress a = ipv4(field, text);
    IpPrefix subnet = subnets.get(net);
    if (a == null || subnet == null) {
      return null;
    }
    if (!subnet.contains(a) || a.equals(subnet.address())) {
      problem(field, text + " must be a host address inside network " + net + "'s subnet " + subnet);
    } else if (!taken.get(net).add(a)) {
      problem(field, text + " is already used on network " + net);
    }
    return a;
  }

  private boolean knownNetwork(String field, String net) {
    if (!subnets.containsKey(net)) {
      problem(field, "network \"" + net + "\" is not in networks");
      return false;
    }
    return true;
  }

  private void endpoints(List<EndpointSpec> endpoints) {
    Set<String> ids = new HashSet<>();
    Set<String> macs = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      EndpointSpec e = endpoints.get(i);
      String at = "endpoints[" + i + "]";
      if (e.id() == null || !ENDPOINT_ID.matcher(e.id()).matches()) {
        problem(at + ".id", "\"" + e.id() + "\" must be 1 to 10 lowercase letters or digits");
      } else if ("lb".equals(e.id())) {
        problem(at + ".id", "\"lb\" is reserved for the load-balancer sandboxes' endpoints");
      } else if (!ids.add(e.id())) {
        problem(at + ".id", "\"" + e.id() + "\" is used by an earlier endpoint");
      }
      if (e.namespace() == null || e.namespace().isBlank() || e.namespace().contains("/")) {
        problem(at + ".namespace", "must name the task's network namespace");
      }
      if (e.iface() == null || !IFACE.matcher(e.iface()).matches()) {
        problem(at + ".iface", "\"" + e.iface() + "\" must be an interface name of 1 to 15 characters");
      }
      if (mac(at + ".mac", e.mac()) && !macs.add(e.mac().toLowerCase())) {
        problem(at + ".mac", e.mac() + " is used by an earlier endpoint");
      }
      if (knownNetwork(at + ".network", e.network())) {
        inside(at + ".ip", e.ip(), e.network());
      }
      taskName(at + ".task", e.task());
    }
  }

  /** An optional task name: a DNS name the embedded DNS can answer (labels of letters, digits, '-', '_'). */
  private void taskName(String field, String task) {
    if (task != null && (task.length() > 253
        || !task.matches("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*"))) {
      problem(field, "\"" + task + "\" must be a DNS name: dot-separated labels of letters, digits, '-' and '_', each at most 63, at most 253 in all");
    }
  }

  private void peers(List<PeerSpec> peers) {
    for (int i = 0; i < peers.size(); i++) {
      PeerSpec p = peers.get(i);
      String at = "peers[" + i + "]";
      mac(at + ".mac", p.mac());
      ipv4(at + ".vtep", p.vtep());
      if (knownNetwork(at + ".network", p.network())) {
        inside(at + ".ip", p.ip(), p.network());
      }
    }
  }

  private void services(List<ServiceSpec> services) {
    Set<String> names = new HashSet<>();
    Set<Integer> marks = new HashSet<>();
    Map<String, String> published = new HashMap<>();
    for (int i = 0; i < services.size(); i++) {
      ServiceSpec s = services.get(i);
      String at = "services[" + i + "]";
      if (s.name() == null || !DNS_LABEL.matcher(s.name()).matches()) {
        problem(at + ".name", "\"" + s.name() + "\" must be a DNS label: lowercase letters, digits and '-', at most 63");
      } else if (!names.add(s.name())) {
        problem(at + ".name", "\"" + s.name() + "\" is used by an earlier service");
      }
      boolean vip = "vip".equals(s.endpointMode());
      if (!vip && !"dnsrr".equals(s.endpointMode())) {
        problem(at + ".endpointMode", "\"" + s.endpointMode() + "\" must be vip or dnsrr");
      }
      if (s.mark() < 1 || s.mark() > 0x0fffffff) {
        problem(at + ".mark", s.mark() + " must be between 1 and 268435455");
      } else if (!marks.add(s.mark())) {
        problem(at + ".mark", s.mark() + " is used by an earlier service");
      }
      Map<String, String> vips = s.vips() == null ? Map.of() : s.vips();
      if (!vip && !vips.isEmpty()) {
        problem(at + ".vips", "a dnsrr service gets no VIP");
      }
      for (Map.Entry<String, String> v : vips.entrySet()) {
        if (knownNetwork(at + ".vips." + v.getKey(), v.getKey())) {
          inside(at + ".vips." + v.getKey(), v.getValue(), v.getKey());
          if (!lbAddresses.contains(v.getKey())) {
            problem(at + ".vips." + v.getKey(), "network " + v.getKey() + " has no lbAddress, so no lb_ sandbox holds its VIPs");
          }
        }
      }
      ports(at, s, published);
      List<BackendSpec> backends = s.backends() == null ? List.of() : s.backends();
      for (int b = 0; b < backends.size(); b++) {
        BackendSpec be = backends.get(b);
        String bat = at + ".backends[" + b + "]";
        if (knownNetwork(bat + ".network", be.network())) {
          InetAddress a = ipv4(bat + ".ip", be.ip());
          if (a != null && !subnets.get(be.network()).contains(a)) {
            problem(bat + ".ip", be.ip() + " must be inside network " + be.network() + "'s subnet " + subnets.get(be.network()));
          }
        }
        taskName(bat + ".task", be.task());
      }
    }
  }

  private void ports(String at, ServiceSpec s, Map<String, String> published) {
    List<PortSpec> ports = s.ports() == null ? List.of() : s.ports();
    for (int p = 0; p < ports.size(); p++) {
      PortSpec port = ports.get(p);
      String pat = at + ".ports[" + p + "]";
      if (!"tcp".equals(port.protocol()) && !"udp".equals(port.protocol())) {
        problem(pat + ".protocol", "\"" + port.protocol() + "\" must be tcp or udp");
      }
      if (port.published() < 1 || port.published() > 65535) {
        problem(pat + ".published", port.published() + " must be between 1 and 65535");
      } else if (port.published() == 4789 && "udp".equals(port.protocol())) {
        problem(pat + ".published", "udp/4789 is the overlay's VXLAN port");
      }
      if (port.target() < 1 || port.target() > 65535) {
        problem(pat + ".target", port.target() + " must be between 1 and 65535");
      }
      if ("host".equals(port.mode())) {
        problem(pat + ".mode", "host mode is not supported yet: publish in ingress mode");
      } else if (!"ingress".equals(port.mode())) {
        problem(pat + ".mode", "\"" + port.mode() + "\" must be ingress");
      } else if (ingressNetwork == null) {
        problem(pat + ".mode", "ingress needs an ingress network in networks");
      } else if (!lbAddresses.contains(ingressNetwork)) {
        problem(pat + ".mode", "ingress needs the ingress network's lbAddress (ingress_sbox's address)");
      }
      String key = port.protocol() + "/" + port.published();
      String before = published.putIfAbsent(key, pat);
      if (before != null) {
        problem(pat + ".published", key + " is already published by " + before);
      }
    }
  }
}
