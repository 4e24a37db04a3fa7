package meshplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PeerSpec;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.ServiceSpec;
import meshplane.dataplane.json.StateJson;
import meshplane.dataplane.Addresses;
import meshplane.netlink.MacAddress;
import meshplane.netlink.IpPrefix;
import java.util.Optional;
import meshplane.dataplane.Protocol;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.EndpointMode;

/**
 * The per-node desired states of the load-balancing benchmark, as a control plane would hand
 * them out (docs/dataplane-state.md): network {@code ingress} 10.255.0.0/16 (VNI 4096), node K's
 * ingress_sbox at 10.255.0.1K; service {@code web} (mark 0x101) publishes tcp {@link #PUBLISHED}
 * to port 80 of its tasks {@code web1} on node2 (10.255.0.21) and {@code web2} on node3
 * (10.255.0.31). node1 runs no task. Every node lists the other nodes' tasks and ingress_sbox
 * addresses as peers behind their underlay addresses; MACs are {@code 02:42} + the address
 * bytes, the rule the mesh uses for its sandboxes.
 */
final class LbStates {
  static final int NODES = 3;
  static final int PUBLISHED = 8080;
  static final int TARGET = 80;

  /** A task of service web: its id, node number and ingress address. */
  record Task(String id, int node, String ip) {}

  static final List<Task> TASKS = List.of(new Task("web1", 2, "10.255.0.21"), new Task("web2", 3, "10.255.0.31"));

  private LbStates() {}

  /** The task's namespace, created by {@code dataplane apply}: {@code mp-LAB-nodeK-ID}. */
  static String taskNamespace(String labPrefix, Task t) {
    return labPrefix + "node" + t.node() + "-" + t.id();
  }

  static DataplaneState state(String labPrefix, int node) {
    List<EndpointSpec> endpoints = new ArrayList<>();
    List<PeerSpec> peers = new ArrayList<>();
    for (Task t : TASKS) {
      if (t.node() == node) {
        endpoints.add(new EndpointSpec(t.id(), "ingress", Addresses.ipv4(t.ip()), MacAddress.parse(mac(t.ip())), taskNamespace(labPrefix, t), "eth0", Optional.empty()));
      } else {
        peers.add(new PeerSpec("ingress", Addresses.ipv4(t.ip()), MacAddress.parse(mac(t.ip())), Addresses.ipv4(underlay(t.node()))));
      }
    }
    for (int k = 1; k <= NODES; k++) {
      if (k != node) {
        peers.add(new PeerSpec("ingress", Addresses.ipv4(lbAddress(k)), MacAddress.parse(mac(lbAddress(k))), Addresses.ipv4(underlay(k))));
      }
    }
    return new DataplaneState("node" + node, Addresses.ipv4(underlay(node)), List.of(ingress(node)), endpoints, peers, List.of(web()));
  }

  /** Writes nodeK.json for every node into {@code dir}; returns node name to file. */
  static Map<String, Path> write(String labPrefix, Path dir) {
    Map<String, Path> files = new LinkedHashMap<>();
    for (int k = 1; k <= NODES; k++) {
      String json = StateJson.write(state(labPrefix, k));
      StateJson.parse(json); // refuse here, with field paths, what the CLI would refuse
      Path f = dir.resolve("node" + k + ".json");
      try {
        Files.writeString(f, json + "\n");
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + f, e);
      }
      files.put("node" + k, f);
    }
    return files;
  }

  private static NetworkSpec ingress(int node) {
    return new NetworkSpec("ingress", 4096, IpPrefix.parse("10.255.0.0/16"), Addresses.ipv4("10.255.0.1"), true, Optional.of(Addresses.ipv4(lbAddress(node))));
  }

  private static ServiceSpec web() {
    List<BackendSpec> backends = TASKS.stream().map(t -> new BackendSpec("ingress", Addresses.ipv4(t.ip()))).toList();
    return new ServiceSpec("web", EndpointMode.VIP, 0x101, Map.of("ingress", Addresses.ipv4("10.255.0.5")),
        List.of(new PortSpec(Protocol.TCP, PUBLISHED, TARGET, PublishMode.INGRESS)), backends);
  }

  private static String lbAddress(int node) {
    return "10.255.0.1" + node;
  }

  static String underlay(int node) {
    return "198.18.0." + node;
  }

  static String mac(String ip) {
    String[] p = ip.split("\\.");
    return String.format("02:42:%02x:%02x:%02x:%02x", Integer.parseInt(p[0]), Integer.parseInt(p[1]),
        Integer.parseInt(p[2]), Integer.parseInt(p[3]));
  }
}
