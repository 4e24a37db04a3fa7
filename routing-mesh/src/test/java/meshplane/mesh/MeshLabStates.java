package meshplane.mesh;

import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.Protocol;
import java.util.Optional;
import meshplane.netlink.IpPrefix;
import meshplane.dataplane.Addresses;
import meshplane.netlink.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshplane.lab.Lab;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PeerSpec;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.ServiceSpec;

/**
 * The per-node desired states of the test cluster, as a control plane would hand them out.
 * Networks: {@code ingress} 10.255.0.0/16 and {@code web} 10.0.1.0/24; node K's load-balancer
 * addresses are 10.255.0.1K and 10.0.1.25K. Tasks: {@code weba} on node2 and {@code webb} on node3
 * (service web, on both networks), {@code cli} on node1 and {@code db1} on node3 (web network).
 * Service {@code web}: VIP 10.0.1.2, tcp 8080->80 and udp 5353->53 published; {@code db}: dnsrr.
 */
final class MeshLabStates {
  record Task(String id, int node, String ingressIp, String webIp) {}

  static final List<Task> TASKS = List.of(
      new Task("weba", 2, "10.255.0.21", "10.0.1.21"),
      new Task("webb", 3, "10.255.0.31", "10.0.1.31"),
      new Task("cli", 1, null, "10.0.1.11"),
      new Task("db1", 3, null, "10.0.1.32"));

  private MeshLabStates() {}

  static MacAddress mac(java.net.InetAddress ip) {
    return mac(ip.getHostAddress());
  }

  static MacAddress mac(String ip) {
    String[] p = ip.split("\\.");
    return MacAddress.parse(String.format("02:42:%02x:%02x:%02x:%02x", Integer.parseInt(p[0]), Integer.parseInt(p[1]),
        Integer.parseInt(p[2]), Integer.parseInt(p[3])));
  }

  static String taskNamespace(Lab lab, Task t) {
    return lab.host("node" + t.node()).namespace() + "-" + t.id();
  }

  static NetworkSpec ingress(int node) {
    return new NetworkSpec("ingress", 4096, IpPrefix.parse("10.255.0.0/16"), Addresses.ipv4("10.255.0.1"), true, Optional.of(Addresses.ipv4("10.255.0.1" + node)));
  }

  static NetworkSpec web(int node) {
    return new NetworkSpec("web", 4097, IpPrefix.parse("10.0.1.0/24"), Addresses.ipv4("10.0.1.1"), false, Optional.of(Addresses.ipv4("10.0.1.25" + node)));
  }

  static ServiceSpec webService(List<String> webTasks) {
    List<BackendSpec> backends = new ArrayList<>();
    for (Task t : TASKS) {
      if (webTasks.contains(t.id())) {
        backends.add(new BackendSpec("ingress", Addresses.ipv4(t.ingressIp())));
        backends.add(new BackendSpec("web", Addresses.ipv4(t.webIp())));
      }
    }
    return new ServiceSpec("web", EndpointMode.VIP, 0x101, Map.of("web", Addresses.ipv4("10.0.1.2")),
        List.of(new PortSpec(Protocol.TCP, 8080, 80, PublishMode.INGRESS), new PortSpec(Protocol.UDP, 5353, 53, PublishMode.INGRESS)), backends);
  }

  static final ServiceSpec DB = new ServiceSpec("db", EndpointMode.DNSRR, 0x102, Map.of(), List.of(),
      List.of(new BackendSpec("web", Addresses.ipv4("10.0.1.32"))));

  /** Node {@code node}'s state with service web served by {@code webTasks}. */
  static DataplaneState state(Lab lab, int node, List<String> webTasks) {
    List<EndpointSpec> endpoints = new ArrayList<>();
    List<PeerSpec> peers = new ArrayList<>();
    for (Task t : TASKS) {
      String vtep = "198.18.0." + t.node();
      if (t.node() == node) {
        int eth = 0;
        if (t.ingressIp() != null) {
          endpoints.add(new EndpointSpec(t.id() + "i", "ingress", Addresses.ipv4(t.ingressIp()), mac(t.ingressIp()), taskNamespace(lab, t), "eth" + eth++, Optional.empty()));
        }
        endpoints.add(new EndpointSpec(t.id() + "w", "web", Addresses.ipv4(t.webIp()), mac(t.webIp()), taskNamespace(lab, t), "eth" + eth, Optional.empty()));
      } else {
        if (t.ingressIp() != null) {
          peers.add(new PeerSpec("ingress", Addresses.ipv4(t.ingressIp()), mac(t.ingressIp()), Addresses.ipv4(vtep)));
        }
        peers.add(new PeerSpec("web", Addresses.ipv4(t.webIp()), mac(t.webIp()), Addresses.ipv4(vtep)));
      }
    }
    for (int k = 1; k <= 3; k++) {
      if (k != node) {
        peers.add(new PeerSpec("ingress", ingress(k).lbAddress().orElseThrow(), mac(ingress(k).lbAddress().orElseThrow()), Addresses.ipv4("198.18.0." + k)));
        peers.add(new PeerSpec("web", web(k).lbAddress().orElseThrow(), mac(web(k).lbAddress().orElseThrow()), Addresses.ipv4("198.18.0." + k)));
      }
    }
    return new DataplaneState("node" + node, Addresses.ipv4("198.18.0." + node), List.of(ingress(node), web(node)), endpoints, peers,
        List.of(webService(webTasks), DB));
  }
}
