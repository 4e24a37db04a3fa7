package meshplane.node.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiFailure;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.ClientTls;

/** The daemon's own calls to a manager (register, raft-join, leave, renew), with meshctl's client over TLS. */
final class ManagerRequests {
  private static final int CONNECT_MILLIS = 3_000;
  private static final int ANSWER_MILLIS = 40_000;

  private ManagerRequests() {}

  /** POSTs to the manager at {@code hostPort}; its refusal is passed on with status and field. */
  static JsonNode post(ClientTls tls, String hostPort, String path, Object body) {
    try {
      return new ApiClient(ApiTarget.parse(hostPort, "manager"), tls, CONNECT_MILLIS, ANSWER_MILLIS).post(path, body);
    } catch (ApiException e) {
      throw e.status() == 0 ? ApiFailure.unavailable("cannot reach the manager at " + hostPort + ": " + e.getMessage())
          : new ApiFailure(e.status(), hostPort + ": " + e.error(), e.field());
    }
  }
}
