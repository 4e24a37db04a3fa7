package meshplane.cli;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import java.nio.file.Path;
import meshplane.cluster.api.ApiTarget;
import meshplane.cluster.api.ClientTls;
import meshplane.pki.NodeCredentials;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import meshplane.lab.LabSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options every cluster command takes to say which node's API it talks to; the rule that
 * picks the target is {@link ApiTarget#resolve} (--host, MESHPLANE_HOST, the lab's node, local).
 */
final class ApiOptions {
  @Option(names = {"-H", "--host"}, paramLabel = "tcp://ADDR[:PORT]|unix:///PATH",
      description = "The node API to talk to: a manager over mutual TLS (default port 2377; needs --tlscacert, --tlscert,"
          + " --tlskey), or a local socket. Default: $MESHPLANE_HOST, else the lab's node's local socket, else "
          + "unix:///run/meshplane/meshplane.sock.")
  String host;

  @Option(names = "--tlscacert", paramLabel = "FILE", description = "With -H tcp://...: the cluster's root CA (PEM).")
  Path tlsCaCert;

  @Option(names = "--tlscert", paramLabel = "FILE", description = "With -H tcp://...: the client certificate (meshctl swarm client-cert).")
  Path tlsCert;

  @Option(names = "--tlskey", paramLabel = "FILE", description = "With -H tcp://...: the client certificate's key.")
  Path tlsKey;

  @Option(names = "--node", paramLabel = "NODE",
      description = "With a lab up: talk to this lab node's API (inside its namespace). Default: node1, or the first node whose daemon listens.")
  String node;

  @Option(names = "--lab", paramLabel = "L", defaultValue = LabSpec.DEFAULT_NAME,
      description = "The lab whose node to talk to when it is up. Default: ${DEFAULT-VALUE}.")
  String lab;

  /**
   * The rule of {@link ApiTarget#resolve}; with a lab up and no --node, --host or
   * MESHPLANE_HOST, the first lab node whose daemon listens (node1 unless it is down), so
   * meshctl keeps working when node1 is stopped, as a Swarm user would point docker at another manager.
   */
  ApiTarget target() {
    String env = System.getenv(ApiTarget.HOST_ENV);
    ApiTarget first = ApiTarget.resolve(host, env, lab, node, ApiOptions::labNode);
    if (first.namespace() == null || node != null || (host != null && !host.isBlank()) || (env != null && !env.isBlank())) {
      return first;
    }
    if (new ApiClient(first).reachable()) {
      return first;
    }
    return Lab.find(lab).flatMap(l -> l.nodes().stream()
            .map(h -> ApiTarget.unix(DaemonCommand.labSocket(lab, h.name())))
            .filter(t -> new ApiClient(t).reachable()).findFirst())
        .orElse(first);
  }

  ApiClient client() {
    ApiTarget t = target();
    return t.isLocalSocket() ? new ApiClient(t) : new ApiClient(t, tls());
  }

  /** The client certificate the --tls* flags name, to a manager; an error naming what is missing. */
  private ClientTls tls() {
    if (tlsCaCert == null || tlsCert == null || tlsKey == null) {
      throw new IllegalArgumentException("-H tcp://...: the API is mutual TLS only; give --tlscacert, --tlscert and --tlskey"
          + " (meshctl swarm client-cert on a manager makes them)");
    }
    try {
      return ClientTls.of(NodeCredentials.read(tlsKey, tlsCert, tlsCaCert));
    } catch (java.io.UncheckedIOException e) {
      throw new IllegalArgumentException("cannot read the TLS files: " + e.getCause().getMessage(), e);
    }
  }

  /** The request a command sends for one of its targets; its exit status, or an {@link ApiException}. */
  interface TargetRequest<T> {
    int send(ApiClient c, T target);
  }

  /**
   * Sends {@code request} for each target in turn, going on after a failure as docker does: a refusal
   * is printed as "meshctl: KIND NAME: cause" on stderr. 1 when any target failed, else 0.
   */
  <T> int eachTarget(CommandSpec spec, String kind, List<T> targets, Function<T, String> name, TargetRequest<T> request) {
    ApiClient c = client();
    int status = 0;
    for (T t : targets) {
      try {
        if (request.send(c, t) != 0) {
          status = 1;
        }
      } catch (ApiException e) {
        spec.commandLine().getErr().println("meshctl: " + kind + " " + name.apply(t) + ": " + e.getMessage());
        status = 1;
      }
    }
    return status;
  }

  private static Optional<Path> labNode(String labName, String node) {
    return Lab.find(labName).map(l -> {
      LabHost h = l.host(node);
      if (h.role() != LabHost.Role.NODE) {
        throw new IllegalArgumentException("--node " + node + " must be a node (node1..nodeN), not the " + h.role().name().toLowerCase());
      }
      return DaemonCommand.labSocket(labName, h.name());
    });
  }
}
