package meshplane.dns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.ServiceSpec;
import meshplane.dataplane.StateValidator;
import meshplane.dataplane.Addresses;
import meshplane.netlink.MacAddress;
import meshplane.netlink.IpPrefix;
import java.util.Optional;
import meshplane.dataplane.Protocol;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.EndpointMode;

/**
 * The desired state the DNS tests answer from. Networks web (10.0.1.0/24) and db (10.0.2.0/24).
 * Namespace {@code NS-a} has task a on web only; {@code NS-b} has task b on web and db.
 * Service {@code web} (vip 10.0.1.2 on web, tasks .3 .4 .5 named web.1.aaa, web.2.bbb, web.3.ccc,
 * port tcp 80); service {@code db} (dnsrr on db, tasks 10.0.2.3 .4); service {@code big}
 * (dnsrr on web, {@code bigTasks} tasks from 10.0.1.100).
 */
final class DnsStates {
  private DnsStates() {}

  static DataplaneState state(String prefix, int bigTasks) {
    return state(prefix + "-a", prefix + "-b", bigTasks);
  }

  /** As {@link #state(String, int)} with tasks a and b in the namespaces named. */
  static DataplaneState state(String nsA, String nsB, int bigTasks) {
    List<BackendSpec> big = new ArrayList<>();
    for (int i = 0; i < bigTasks; i++) {
      big.add(new BackendSpec("web", Addresses.ipv4("10.0.1." + (100 + i))));
    }
    DataplaneState s = new DataplaneState("node1", Addresses.ipv4("198.18.0.1"),
        List.of(new NetworkSpec("web", 4097, IpPrefix.parse("10.0.1.0/24"), Addresses.ipv4("10.0.1.1"), false, Optional.of(Addresses.ipv4("10.0.1.250"))),
            new NetworkSpec("db", 4098, IpPrefix.parse("10.0.2.0/24"), Addresses.ipv4("10.0.2.1"), false, Optional.of(Addresses.ipv4("10.0.2.250")))),
        List.of(new EndpointSpec("a", "web", Addresses.ipv4("10.0.1.3"), MacAddress.parse("02:42:0a:00:01:03"), nsA, "eth0", Optional.of("web.1.aaa")),
            new EndpointSpec("b", "web", Addresses.ipv4("10.0.1.20"), MacAddress.parse("02:42:0a:00:01:14"), nsB, "eth0", Optional.of("cli.1.zzz")),
            new EndpointSpec("bdb", "db", Addresses.ipv4("10.0.2.20"), MacAddress.parse("02:42:0a:00:02:14"), nsB, "eth1", Optional.of("cli.1.zzz"))),
        List.of(),
        List.of(new ServiceSpec("web", EndpointMode.VIP, 257, Map.of("web", Addresses.ipv4("10.0.1.2")),
                List.of(new PortSpec(Protocol.TCP, 8080, 80, PublishMode.INGRESS)),
                List.of(new BackendSpec("web", Addresses.ipv4("10.0.1.3"), Optional.of("web.1.aaa")), new BackendSpec("web", Addresses.ipv4("10.0.1.4"), Optional.of("web.2.bbb")),
                    new BackendSpec("web", Addresses.ipv4("10.0.1.5"), Optional.of("web.3.ccc")))),
            new ServiceSpec("db", EndpointMode.DNSRR, 258, Map.of(), List.of(),
                List.of(new BackendSpec("db", Addresses.ipv4("10.0.2.3")), new BackendSpec("db", Addresses.ipv4("10.0.2.4")))),
            new ServiceSpec("big", EndpointMode.DNSRR, 259, Map.of(), List.of(), big)));
    return s;
  }

  /** As {@link #state} with an ingress network so the published port validates. */
  static DataplaneState valid(String prefix, int bigTasks) {
    return valid(prefix + "-a", prefix + "-b", bigTasks);
  }

  /** As {@link #valid(String, int)} with tasks a and b in the namespaces named. */
  static DataplaneState valid(String nsA, String nsB, int bigTasks) {
    DataplaneState s = state(nsA, nsB, bigTasks);
    List<NetworkSpec> nets = new ArrayList<>(s.networks());
    nets.add(new NetworkSpec("ingress", 4096, IpPrefix.parse("10.255.0.0/16"), Addresses.ipv4("10.255.0.1"), true, Optional.of(Addresses.ipv4("10.255.0.2"))));
    DataplaneState v = new DataplaneState(s.node(), s.underlay(), nets, s.endpoints(), s.peers(), s.services());
    StateValidator.check(v);
    return v;
  }
}
