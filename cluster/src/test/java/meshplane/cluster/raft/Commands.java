package meshplane.cluster.raft;

import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.PublishMode;
import meshplane.dataplane.Protocol;
import java.util.List;
import java.util.Map;
import meshplane.cluster.model.Attachment;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterSettings;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.JoinTokens;
import meshplane.cluster.model.Network;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.RestartPolicy;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.ServiceSpec;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskReport;
import meshplane.cluster.model.TaskState;

/** Commands with concrete values, as a leader would propose them. */
final class Commands {
  private Commands() {}

  static Node node(String id, String hostname) {
    return new Node(id, hostname, NodeRole.MANAGER, Availability.ACTIVE, Map.of("zone", "a"), "198.18.0.1",
        2377, 2380, NodeStatus.READY, 2000, 1L << 30, 1_700_000_000_000L);
  }

  static Command.Init init() {
    Network ingress = new Network("ingress", "ingress", 4096, "10.255.0.0/16", "10.255.0.1", true,
        Map.of("node1", "10.255.0.2"), 1L);
    return new Command.Init("c1", new JoinTokens("SWMTKN-1-c1-w", "SWMTKN-1-c1-m"), null, ClusterSettings.DEFAULT,
        node("node1", "node1"), ingress);
  }

  static Command.PutNode putNode(String id, String hostname) {
    return new Command.PutNode(node(id, hostname));
  }

  static Command.PutNetwork putNetwork(String name, int vni, String subnet) {
    return new Command.PutNetwork(new Network(name, name, vni, subnet, subnet.replace(".0/24", ".1"), false,
        Map.of("node1", subnet.replace(".0/24", ".2")), 2L));
  }

  static Service service(String id, String name, int mark) {
    ServiceSpec spec = new ServiceSpec(name, ServiceMode.REPLICATED, 2, List.of("front"),
        List.of(new PortConfig(Protocol.TCP, 30080, 80, PublishMode.INGRESS)), EndpointMode.VIP, List.of("node.role==manager"), 100, 1 << 20,
        Map.of("K", "V"), "meshplane/whoami", List.of("--port", "80"), new RestartPolicy("on-failure", 1000, 3), "process");
    return new Service(id, spec, 1, mark, Map.of("front", "10.0.0.3"), 3L, 3L);
  }

  static Task task(String id, String serviceId) {
    return new Task(id, serviceId, "web", 1, 1, "node1", TaskState.RUNNING, TaskState.ASSIGNED, null, null,
        List.of(new Attachment("front", "10.0.0.4", "02:42:0a:00:00:04")), 0, 4L, 4L);
  }

  /** One of every variant. */
  static List<Command> everyVariant() {
    return List.of(
        init(),
        putNode("node2", "node2"),
        new Command.RemoveNode("node2"),
        putNetwork("front", 4097, "10.0.0.0/24"),
        new Command.RemoveNetwork("front"),
        new Command.PutService(service("svc1", "web", 256)),
        new Command.RemoveService("svc1"),
        new Command.PutTasks(List.of(task("task1", "svc1")), List.of("task0")),
        new Command.ReportTasks("node1", List.of(new TaskReport("task1", TaskState.RUNNING, "started", null, 5L))),
        new Command.PutTokens(new meshplane.cluster.model.JoinTokens("SWMTKN-1-w2", "SWMTKN-1-m2")),
        new Command.PutSettings(new meshplane.cluster.model.ClusterSettings(5000, 30000, 32767, 86_400_000L)),
        new Command.PutPki(new meshplane.cluster.model.ClusterPki("ROOT-PEM", "KEY-PEM", java.util.Set.of("gone"),
            new meshplane.cluster.model.RootRotation("NEW-ROOT-PEM", "NEW-KEY-PEM", "CROSS-PEM")),
            new meshplane.cluster.model.JoinTokens("SWMTKN-1-w3", "SWMTKN-1-m3")));
  }
}
