package meshplane.cluster.manager;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.Caller;
import meshplane.cluster.api.ClientTls;
import meshplane.cluster.api.ApiJson;
import meshplane.cluster.api.ApiRequest;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Node;
import meshplane.cluster.raft.RaftStore;

/**
 * A follower's way to the leader: the request is sent on, as it came, to the leader's API, and
 * its answer returned as the follower's own. Clients never see a redirect.
 */
final class LeaderProxy {
  private final RaftStore store;
  private final ClientTls tls;
  /** Forwarded calls wait here, not on the API's workers; as many at once as the API has workers. */
  private final java.util.concurrent.ExecutorService senders = new java.util.concurrent.ThreadPoolExecutor(0, 64, 30,
      java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "leader-proxy");
        t.setDaemon(true);
        return t;
      });

  /** {@code tls}: this manager's own certificate, to a manager. */
  LeaderProxy(RaftStore store, ClientTls tls) {
    this.store = store;
    this.tls = tls;
  }

  /** The leader's API address ({@code addr:apiPort}), from its Raft address and the node list. */
  Optional<String> leaderApi(ClusterState s) {
    return store.leader().flatMap(raft -> s.nodes().values().stream()
        .filter(n -> n.raftAddress().equals(raft)).findFirst().map(Node::apiAddress));
  }

  CompletableFuture<ApiResponse> forward(ApiRequest r) {
    ClusterState s = store.local();
    String leader = leaderApi(s).orElseThrow(() -> ApiFailure.unavailable(store.storageFailure()
        .map(why -> "this manager's Raft store stopped (" + why + "); it restarts by itself once its disk has room;"
            + " meanwhile ask another manager")
        .orElse("no leader: the managers have no quorum or are electing one (" + s.managers().size() + " manager(s) known)")));
    String query = r.query().isEmpty() ? "" : "?" + r.query().entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    ApiClient client = new ApiClient(ApiTarget.parse(leader, "leader"), tls, 2_000, 40_000);
    Map<String, String> headers = Map.of("Content-Type", "application/json", Caller.HEADER, r.caller().header());
    byte[] body = r.body().length == 0 ? null : r.body();
    try {
      return CompletableFuture.supplyAsync(() -> {
        ApiClient.Answer a = client.send(r.method(), r.path() + query, body, headers); // the path as it came, still encoded
        try {
          JsonNode json = a.body().length == 0 ? ApiJson.MAPPER.createObjectNode() : ApiJson.MAPPER.readTree(a.body());
          return (ApiResponse) new ApiResponse.Json(a.status(), json);
        } catch (IOException e) {
          throw new ApiFailure(502, "the leader " + leader + " answered something that is not JSON");
        }
      }, senders).exceptionally(e -> {
        Throwable c = e.getCause() != null ? e.getCause() : e;
        if (c instanceof ApiFailure f) {
          throw f;
        }
        throw ApiFailure.unavailable("cannot reach the leader at " + leader + ": "
            + (c instanceof ApiException x ? x.getMessage() : c.toString()));
      });
    } catch (java.util.concurrent.RejectedExecutionException busy) {
      throw ApiFailure.unavailable("64 requests are being passed on to the leader; try again");
    }
  }

  void close() {
    senders.shutdownNow();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
