package meshplane.cluster.manager;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import meshplane.cluster.api.ApiFailure;
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
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  LeaderProxy(RaftStore store) {
    this.store = store;
  }

  /** The leader's API address ({@code addr:apiPort}), from its Raft address and the node list. */
  Optional<String> leaderApi(ClusterState s) {
    return store.leader().flatMap(raft -> s.nodes().values().stream()
        .filter(n -> n.raftAddress().equals(raft)).findFirst().map(Node::apiAddress));
  }

  CompletableFuture<ApiResponse> forward(ApiRequest r) {
    ClusterState s = store.local();
    String leader = leaderApi(s).orElseThrow(() -> ApiFailure.unavailable(
        "no leader: the managers have no quorum or are electing one (" + s.managers().size() + " manager(s) known)"));
    String query = r.query().isEmpty() ? "" : "?" + r.query().entrySet().stream()
        .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + leader + r.path() + query))
        .timeout(Duration.ofSeconds(40))
        .header("Content-Type", "application/json")
        .header("X-Meshplane-Forwarded", "1")
        .method(r.method(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body()))
        .build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray()).thenApply(resp -> {
      try {
        JsonNode body = resp.body().length == 0 ? ApiJson.MAPPER.createObjectNode() : ApiJson.MAPPER.readTree(resp.body());
        return (ApiResponse) new ApiResponse.Json(resp.statusCode(), body);
      } catch (IOException e) {
        throw new ApiFailure(502, "the leader " + leader + " answered something that is not JSON");
      }
    }).exceptionally(e -> {
      Throwable c = e.getCause() != null ? e.getCause() : e;
      if (c instanceof ApiFailure f) {
        throw f;
      }
      throw ApiFailure.unavailable("cannot reach the leader at " + leader + ": " + c);
    });
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
