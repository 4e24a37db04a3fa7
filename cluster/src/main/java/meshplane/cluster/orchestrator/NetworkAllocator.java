package meshplane.cluster.orchestrator;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.Subnets;

/**
 * {@code network create}: checks the name and the subnet, then picks the VNI (4097 upwards, the
 * smallest free), the subnet when none is given (10.0.N.0/24, the first free), the gateway (the
 * first host), the data-plane id (the name when it is 1-12 of [a-z0-9] and unused, else
 * {@code n<vni>}) and an lb address for every node.
 */
public final class NetworkAllocator {
  public static final String INGRESS_ID = "ingress";
  public static final int INGRESS_VNI = 4096;
  public static final String INGRESS_SUBNET = "10.255.0.0/16";
  public static final String INGRESS_GATEWAY = "10.255.0.1";
  /** The lab's underlay (RFC 2544 benchmarking range): an overlay there would shadow the VTEPs. */
  public static final String UNDERLAY = "198.18.0.0/15";
  static final int FIRST_VNI = 4097;
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");
  private static final Pattern DATAPLANE_ID = Pattern.compile("[a-z0-9]{1,12}");
  private static final Pattern CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");

  private NetworkAllocator() {}

  /** The ingress network {@code swarm init} makes; the orchestrator gives it the nodes' addresses. */
  public static Network ingress(long now) {
    return new Network(INGRESS_ID, INGRESS_ID, INGRESS_VNI, INGRESS_SUBNET, INGRESS_GATEWAY, true, Map.of(), now);
  }

  /** A new overlay network named {@code name}, on {@code subnetOrNull} or the first free 10.0.N.0/24. */
  public static Network create(ClusterState s, String name, String subnetOrNull, long now) {
    checkName(name);
    StateLimits.checkNetworks(s);
    for (Network n : s.networks().values()) {
      if (n.name().equals(name)) {
        throw new CommandRejectedException("network name " + name + " is taken");
      }
    }
    String subnet = subnetOrNull == null || subnetOrNull.isBlank() ? freeSubnet(s) : checkSubnet(s, subnetOrNull.trim());
    Set<Integer> vnis = new HashSet<>();
    Set<String> ids = new HashSet<>();
    s.networks().values().forEach(n -> {
      vnis.add(n.vni());
      ids.add(n.id());
    });
    int vni = FIRST_VNI;
    String id;
    while (true) {
      if (!vnis.contains(vni)) {
        id = DATAPLANE_ID.matcher(name).matches() && !ids.contains(name) ? name : "n" + vni;
        if (!ids.contains(id)) {
          break;
        }
      }
      vni++;
    }
    String gateway = Subnets.toIp(Subnets.parse(subnet)[0] + 1);
    Network n = new Network(id, name, vni, subnet, gateway, false, Map.of(), now);
    return n.withLbAddresses(lbAddresses(s, n));
  }

  /** An lb address for every node of {@code s} that has none on {@code n} yet (the lowest free hosts). */
  public static Map<String, String> lbAddresses(ClusterState s, Network n) {
    Map<String, String> lb = new TreeMap<>(n.lbAddresses());
    Set<String> used = IpAllocator.used(s, n);
    for (Node node : s.nodes().values()) {
      if (!lb.containsKey(node.id())) {
        lb.put(node.id(), IpAllocator.take(n, used));
      }
    }
    return lb;
  }

  static void checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new InvalidRequestException("name", "\"" + name
          + "\" must be 1 to 63 of letters, digits, '_', '.' and '-', starting with a letter or digit");
    }
  }

  private static String checkSubnet(ClusterState s, String subnet) {
    var m = CIDR.matcher(subnet);
    if (!m.matches()) {
      throw new InvalidRequestException("subnet", "\"" + subnet + "\" must be an IPv4 network in CIDR form, like 10.1.2.0/24");
    }
    for (int i = 1; i <= 4; i++) {
      if (Integer.parseInt(m.group(i)) > 255) {
        throw new InvalidRequestException("subnet", "\"" + subnet + "\" is not an IPv4 address: each part is 0-255");
      }
    }
    int len = Integer.parseInt(m.group(5));
    if (len < 8 || len > 29) {
      throw new InvalidRequestException("subnet", "\"" + subnet + "\": the prefix length must be between /8 and /29");
    }
    int[] p = Subnets.parse(subnet);
    String net = Subnets.toIp(p[0]) + "/" + len;
    if (!net.equals(subnet)) {
      throw new InvalidRequestException("subnet", "\"" + subnet + "\" has host bits set: the network is " + net);
    }
    if (Subnets.overlap(subnet, UNDERLAY)) {
      throw new InvalidRequestException("subnet", subnet + " overlaps " + UNDERLAY + ", the underlay's addresses");
    }
    for (Network n : s.networks().values()) {
      if (Subnets.overlap(subnet, n.subnet())) {
        throw new CommandRejectedException("subnet " + subnet + " overlaps " + n.subnet() + " of network " + n.name());
      }
    }
    return subnet;
  }

  private static String freeSubnet(ClusterState s) {
    for (int n = 0; n < 256; n++) {
      String candidate = "10.0." + n + ".0/24";
      if (s.networks().values().stream().noneMatch(x -> Subnets.overlap(candidate, x.subnet()))) {
        return candidate;
      }
    }
    throw new CommandRejectedException("no free 10.0.N.0/24 subnet left: give one with --subnet");
  }
}
