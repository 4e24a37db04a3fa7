package meshplane.cluster.manager;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import meshplane.cluster.api.Access;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.api.ApiServer;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.api.Router;
import meshplane.cluster.api.ServerTls;
import meshplane.cluster.api.TestPki;
import meshplane.cluster.model.Availability;
import meshplane.cluster.model.ClusterSettings;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.JoinTokens;
import meshplane.cluster.model.Node;
import meshplane.cluster.model.NodeRole;
import meshplane.cluster.model.NodeStatus;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceSpec;
import meshplane.cluster.model.Task;
import meshplane.cluster.model.TaskState;
import meshplane.cluster.orchestrator.NetworkAllocator;
import meshplane.pki.CertRole;
import meshplane.pki.NodeCredentials;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code service logs -f} through a manager from a node, both real API servers on loopback: when
 * the follower leaves, the manager closes its connection to the node and the node's follow ends,
 * though the task prints nothing more.
 */
@Tag("unit")
class LogFanoutTest {
  @Test
  void aFollowWhoseClientLeavesClosesItsUpstreamAndTheNodeLetsItsFollowGo() throws Exception {
    TestPki pki = new TestPki("c");
    var managerCreds = pki.credentials("m1", CertRole.MANAGER);
    CountDownLatch nodeReleased = new CountDownLatch(1);
    Router nodeRoutes = new Router().add("GET", "/v1/tasks/{id}/logs", Access.MANAGER, q -> CompletableFuture.completedFuture(
        new ApiResponse.Stream("text/plain", out -> {
          out.write("hello\n".getBytes());
          out.flush();
          try {
            new CountDownLatch(1).await(60, TimeUnit.SECONDS); // a quiet task
          } finally {
            nodeReleased.countDown();
          }
        })));
    try (ApiServer node = ApiServer.tcp(nodeRoutes, new InetSocketAddress("127.0.0.1", 0),
        new ServerTls(pki.credentials("w1", CertRole.WORKER)))) {
      ClusterState s = state(node.address().getPort());
      LogFanout fanout = new LogFanout(ClientTls.of(managerCreds, null));
      Router managerRoutes = new Router().add("GET", "/v1/services/web/logs", q -> CompletableFuture.completedFuture(
          fanout.stream(s, s.services().values().iterator().next(), true, -1)));
      try (ApiServer manager = ApiServer.tcp(managerRoutes, new InetSocketAddress("127.0.0.1", 0), new ServerTls(managerCreds))) {
        NodeCredentials admin = pki.issue("m1", CertRole.MANAGER);
        SSLSocket c = (SSLSocket) admin.sslContext().getSocketFactory().createSocket("127.0.0.1", manager.address().getPort());
        c.setSoTimeout(5_000);
        c.getOutputStream().write("GET /v1/services/web/logs HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
        InputStream in = c.getInputStream();
        StringBuilder got = new StringBuilder();
        byte[] buf = new byte[1024];
        while (!got.toString().contains("hello")) {
          int n = in.read(buf);
          assertTrue(n > 0, "the stream ended early: " + got);
          got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        assertTrue(got.toString().contains("web.1.t1@one    | hello"), got.toString());
        c.close();
        assertTrue(nodeReleased.await(5, TimeUnit.SECONDS), "the node's follow ended when the manager's client left");
      }
    }
  }

  private static ClusterState state(int nodePort) {
    Node n = new Node("n1", "one", NodeRole.MANAGER, Availability.ACTIVE, Map.of(), "127.0.0.1", nodePort, 2378, NodeStatus.READY,
        1000, 1L << 30, 0);
    ClusterState s = ClusterState.EMPTY.apply(new Command.Init("c", new JoinTokens("w", "m"), null, ClusterSettings.DEFAULT, n,
        NetworkAllocator.ingress(0)), 1);
    ServiceSpec spec = new ServiceSpec("web", null, 1, List.of(), List.of(), null, List.of(), 0, 0, Map.of(), "sleep", List.of(),
        null, null);
    s = s.apply(new Command.PutService(new Service("s1", spec, 1, 256, Map.of(), 0, 0)), 2);
    Task t = new Task("t1", "s1", "web", 1, 1, "n1", TaskState.RUNNING, TaskState.RUNNING, null, null, List.of(), 0, 0, 0);
    return s.apply(new Command.PutTasks(List.of(t), List.of()), 3);
  }
}
