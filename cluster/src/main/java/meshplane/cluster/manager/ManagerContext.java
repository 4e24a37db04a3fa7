package meshplane.cluster.manager;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ApiRequest;
import meshplane.cluster.api.ApiResponse;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.orchestrator.IdGenerator;
import meshplane.cluster.raft.RaftStore;

/** What the manager's routes share: the store, the leader's writer, the way to the leader, sessions, ids, the CA. */
record ManagerContext(RaftStore store, LeaderWriter writer, LeaderProxy proxy, Dispatcher dispatcher,
    StateWatch watch, Assignments assignments, IdGenerator ids, CertificateIssuer issuer) {

  /** A write: decided and proposed here when this manager leads, else sent to the leader as it came. */
  CompletableFuture<ApiResponse> write(ApiRequest r, Supplier<CompletableFuture<ApiResponse>> onLeader) {
    if (!store.isLeader()) {
      return proxy.forward(r);
    }
    return onLeader.get();
  }

  /** A write of one command decided on the latest state, answered with {@code answer} of the state after it. */
  CompletableFuture<ApiResponse> write(ApiRequest r, Function<ClusterState, Command> decide, Function<ClusterState, Object> answer) {
    return write(r, () -> writer.write(decide).thenApply(st -> ApiResponse.ok(answer.apply(st))));
  }

  /** A linearizable read (readIndex), answered from the state it returns. */
  CompletableFuture<ApiResponse> read(Function<ClusterState, Object> answer) {
    return store.readConsistent().thenApply(st -> {
      requireSwarm(st);
      return ApiResponse.ok(answer.apply(st));
    });
  }

  static void requireSwarm(ClusterState s) {
    if (!s.initialized()) {
      throw ApiFailure.unavailable("this node is not a manager of a swarm yet: meshctl swarm init, or join one");
    }
  }
}
