package meshplane.dataplane;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;

/**
 * Checks a {@link DataplaneState} whole: names, ranges, addresses inside their subnets,
 * uniqueness (network ids, VNIs, endpoint IPs and MACs, marks, published ports) and overlap of
 * subnets. Every problem is collected, each naming its field by JSON path; if there is any, the
 * state is refused and nothing is programmed. (Syntax, an address that does not parse, is the
 * JSON reader's to refuse: a typed state has none.)
 */
public final class StateValidator {
  private static final Pattern NETWORK_ID = Pattern.compile("[a-z0-9]{1,12}");
  private static final Pattern ENDPOINT_ID = Pattern.compile("[a-z0-9]{1,10}");
  private static final Pattern IFACE = Pattern.compile("[a-zA-Z0-9_.-]{1,15}");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern DNS_NAME =
      Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*");
  /** The endpoint id the load-balancer sandboxes' endpoints use. */
  public static final String RESERVED_ENDPOINT_ID = "lb";

  private final List<String> problems = new ArrayList<>();
  private final Map<String, IpPrefix> subnets = new HashMap<>();
  private final Map<String, Set<InetAddress>> taken = new HashMap<>();
  private final Set<String> lbAddresses = new HashSet<>();
  private String ingressNetwork;

  private StateValidator() {}

  /** Returns normally when {@code s} is valid; otherwise throws with every problem found. */
  public static void check(DataplaneState s) {
    StateValidator v = new StateValidator();
    if (s.node().isBlank()) {
      v.problem("node", "must name the node");
    }
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

  private void networks(List<NetworkSpec> networks) {
    Set<Integer> vnis = new HashSet<>();
    int ingress = 0;
    for (int i = 0; i < networks.size(); i++) {
      NetworkSpec n = networks.get(i);
      String at = "networks[" + i + "]";
      if (!NETWORK_ID.matcher(n.id()).matches()) {
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
      IpPrefix subnet = n.subnet();
      if (!subnet.isIpv4() || subnet.length() > 30 || !subnet.network().equals(subnet)) {
        problem(at + ".subnet", "\"" + subnet + "\" must be an IPv4 network address with a prefix of /30 or shorter");
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
      if (n.lbAddress().isPresent()) {
        inside(at + ".lbAddress", n.lbAddress().get(), n.id());
        lbAddresses.add(n.id());
      }
    }
    if (ingress > 1) {
      problem("networks", "at most one network may be the ingress network, " + ingress + " are");
    }
  }

  /** Checks that {@code a} is a host address of network {@code net} not used yet, and takes it. */
  private boolean inside(String field, Inet4Address a, String net) {
    IpPrefix subnet = subnets.get(net);
    if (subnet == null) {
      return false;
    }
    String text = a.getHostAddress();
    if (!subnet.contains(a) || a.equals(subnet.address())) {
      problem(field, text + " must be a host address inside network " + net + "'s subnet " + subnet);
      return false;
    }
    if (!taken.get(net).add(a)) {
      problem(field, text + " is already used on network " + net);
      return false;
    }
    return true;
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
    Set<MacAddress> macs = new HashSet<>();
    for (int i = 0; i < endpoints.size(); i++) {
      EndpointSpec e = endpoints.get(i);
      String at = "endpoints[" + i + "]";
      if (e.id() == null || !ENDPOINT_ID.matcher(e.id()).matches()) {
        problem(at + ".id", "\"" + e.id() + "\" must be 1 to 10 lowercase letters or digits");
      } else if (RESERVED_ENDPOINT_ID.equals(e.id())) {
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
      if (!macs.add(e.mac())) {
        problem(at + ".mac", e.mac() + " is used by an earlier endpoint");
      }
      if (knownNetwork(at + ".network", e.network())) {
        inside(at + ".ip", e.ip(), e.network());
      }
      e.task().ifPresent(t -> taskName(at + ".task", t));
    }
  }

  /** A task name: a DNS name the embedded DNS can answer (labels of letters, digits, '-', '_'). */
  private void taskName(String field, String task) {
    if (task.length() > 253 || !DNS_NAME.matcher(task).matches()) {
      problem(field, "\"" + task + "\" must be a DNS name: dot-separated labels of letters, digits, '-' and '_', each at most 63, at most 253 in all");
    }
  }

  private void peers(List<PeerSpec> peers) {
    for (int i = 0; i < peers.size(); i++) {
      PeerSpec p = peers.get(i);
      String at = "peers[" + i + "]";
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
      if (!DNS_LABEL.matcher(s.name()).matches()) {
        problem(at + ".name", "\"" + s.name() + "\" must be a DNS label: lowercase letters, digits and '-', at most 63");
      } else if (!names.add(s.name())) {
        problem(at + ".name", "\"" + s.name() + "\" is used by an earlier service");
      }
      if (s.mark() < 1 || s.mark() > 0x0fffffff) {
        problem(at + ".mark", s.mark() + " must be between 1 and 268435455");
      } else if (!marks.add(s.mark())) {
        problem(at + ".mark", s.mark() + " is used by an earlier service");
      }
      if (!s.isVip() && !s.vips().isEmpty()) {
        problem(at + ".vips", "a dnsrr service gets no VIP");
      }
      for (Map.Entry<String, Inet4Address> v : s.vips().entrySet()) {
        String field = at + ".vips." + v.getKey();
        if (knownNetwork(field, v.getKey())) {
          inside(field, v.getValue(), v.getKey());
          if (!lbAddresses.contains(v.getKey())) {
            problem(field, "network " + v.getKey() + " has no lbAddress, so no lb_ sandbox holds its VIPs");
          }
        }
      }
      ports(at, s, published);
      for (int b = 0; b < s.backends().size(); b++) {
        BackendSpec be = s.backends().get(b);
        String bat = at + ".backends[" + b + "]";
        if (knownNetwork(bat + ".network", be.network()) && !subnets.get(be.network()).contains(be.ip())) {
          problem(bat + ".ip", be.ip().getHostAddress() + " must be inside network " + be.network() + "'s subnet "
              + subnets.get(be.network()));
        }
        be.task().ifPresent(t -> taskName(bat + ".task", t));
      }
    }
  }

  private void ports(String at, ServiceSpec s, Map<String, String> published) {
    for (int p = 0; p < s.ports().size(); p++) {
      PortSpec port = s.ports().get(p);
      String pat = at + ".ports[" + p + "]";
      if (port.published() < 1 || port.published() > 65535) {
        problem(pat + ".published", port.published() + " must be between 1 and 65535");
      } else if (port.published() == 4789 && port.protocol() == Protocol.UDP) {
        problem(pat + ".published", "udp/4789 is the overlay's VXLAN port");
      }
      if (port.target() < 1 || port.target() > 65535) {
        problem(pat + ".target", port.target() + " must be between 1 and 65535");
      }
      if (port.mode() == PublishMode.HOST) {
        problem(pat + ".mode", "host mode is not supported yet: publish in ingress mode");
      } else if (ingressNetwork == null) {
        problem(pat + ".mode", "ingress needs an ingress network in networks");
      } else if (!lbAddresses.contains(ingressNetwork)) {
        problem(pat + ".mode", "ingress needs the ingress network's lbAddress (ingress_sbox's address)");
      }
      String before = published.putIfAbsent(port.key(), pat);
      if (before != null) {
        problem(pat + ".published", port.key() + " is already published by " + before);
      }
    }
  }
}
