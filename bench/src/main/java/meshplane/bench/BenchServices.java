package meshplane.bench;

import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.Protocol;
import meshplane.dataplane.PublishMode;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.model.PortConfig;
import meshplane.cluster.model.RestartPolicy;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.ServiceSpec;

/**
 * The services the control-plane benchmark creates, as {@code meshctl service create} would post
 * them ({@link ServiceSpec}, process executor, restart policy and endpoint mode the defaults):
 * <ul>
 *   <li>sleepers: {@code busybox sleep 100000}, on no network and publishing nothing (each task
 *       gets a namespace with only lo: no veth, no overlay), kept off {@code node3}
 *       ({@code --constraint node.hostname!=node3}), so node3 serves none of them;
 *   <li>whoami ({@code meshplane/whoami}) and nginx (the bench's nginx config), one replica each
 *       on {@code node2}, each publishing a port of the routing mesh.
 * </ul>
 */
final class BenchServices {
  static final String OFF_NODE = "node3";
  static final String SERVING_NODE = "node2";

  private BenchServices() {}

  static ServiceSpec sleeper(String name, int replicas) {
    return spec(name, replicas, List.of(), List.of("node.hostname!=" + OFF_NODE), "busybox", List.of("sleep", "100000"));
  }

  static ServiceSpec whoami(String name, int published) {
    return spec(name, 1, List.of(new PortConfig(Protocol.TCP, published, 80, PublishMode.INGRESS)), List.of("node.hostname==" + SERVING_NODE),
        "meshplane/whoami", List.of());
  }

  /** nginx in the foreground with the configuration at {@code config} (which says {@code daemon off}). */
  static ServiceSpec nginx(String name, int published, Path config) {
    return spec(name, 1, List.of(new PortConfig(Protocol.TCP, published, 80, PublishMode.INGRESS)), List.of("node.hostname==" + SERVING_NODE),
        "nginx", List.of("-c", config.toString()));
  }

  private static ServiceSpec spec(String name, int replicas, List<PortConfig> ports, List<String> constraints, String image,
      List<String> command) {
    return new ServiceSpec(name, ServiceMode.REPLICATED, replicas, List.of(), ports, EndpointMode.VIP, constraints, 0, 0, Map.of(), image,
        command, RestartPolicy.DEFAULT, "process");
  }

  /** {@code POST /v1/services}, as meshctl service create --detach. */
  static void create(ApiClient api, ServiceSpec spec) {
    api.post("/v1/services", spec);
  }

  /** {@code DELETE /v1/services/NAME}, as meshctl service rm. */
  static void remove(ApiClient api, String name) {
    api.delete("/v1/services/" + name);
  }

  /** The names of every service of the swarm. */
  static List<String> names(ApiClient api) {
    List<String> names = new ArrayList<>();
    for (JsonNode s : api.get("/v1/services")) {
      names.add(s.path("name").asText());
    }
    return names;
  }

  /** Removes every service of the swarm, {@code clients} requests at a time. */
  static ParallelRequests.Result removeAll(ApiClient api, int clients, long limitMillis) {
    return ParallelRequests.run(names(api), clients, limitMillis, name -> remove(api, name));
  }

  /** {@code prefix0001}, {@code prefix0002}, ...: names that sort in creation order. */
  static String numbered(String prefix, int n) {
    return String.format("%s%04d", prefix, n);
  }
}
