package meshplane.cluster.api;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a client sends its API requests: a daemon's local unix socket ({@code socket}, root only,
 * as {@code /var/run/docker.sock}), or {@code host:port} over mutual TLS, reached from inside the
 * network namespace {@code namespace} (null: the caller's own). meshctl picks it with
 * {@link #resolve}, the one place that holds the rule:
 * <ol>
 *   <li>{@code --host [tcp://]ADDR[:PORT]}, over TLS in the current namespace;</li>
 *   <li>else the environment variable {@code MESHPLANE_HOST} (same form);</li>
 *   <li>else, when the lab {@code --lab} (default {@code lab}) is up: the local socket of its node
 *       {@code --node} (default {@code node1}); {@code --node} given while the lab is down is an
 *       error;</li>
 *   <li>else the local socket {@link #LOCAL_SOCKET}.</li>
 * </ol>
 */
public record ApiTarget(String host, int port, String namespace, Path socket) {
  public static final int DEFAULT_PORT = 2377;
  public static final String HOST_ENV = "MESHPLANE_HOST";
  public static final String DEFAULT_NODE = "node1";
  /** A daemon's local socket when it is no lab node's. */
  public static final Path LOCAL_SOCKET = Path.of("/run/meshplane/meshplane.sock");
  public static final ApiTarget LOCAL = unix(LOCAL_SOCKET);

  public ApiTarget {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("API host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("API port " + port + " must be 1-65535");
    }
  }

  /** {@code host:port} over TLS, from inside {@code namespace} (null: the caller's own). */
  public ApiTarget(String host, int port, String namespace) {
    this(host, port, namespace, null);
  }

  /** A daemon's local socket. */
  public static ApiTarget unix(Path socket) {
    return new ApiTarget("localhost", DEFAULT_PORT, null, socket);
  }

  public boolean isLocalSocket() {
    return socket != null;
  }

  /** Finds a lab node's local socket: empty when the lab is not up; throws when it has no such node. */
  @FunctionalInterface
  public interface LabLookup {
    Optional<Path> nodeSocket(String lab, String node);

    LabLookup NONE = (lab, node) -> Optional.empty();
  }

  /** The rule above. {@code hostFlag}, {@code hostEnv} and {@code nodeFlag} may be null. */
  public static ApiTarget resolve(String hostFlag, String hostEnv, String lab, String nodeFlag, LabLookup labs) {
    if (hostFlag != null && !hostFlag.isBlank()) {
      return parse(hostFlag, "--host");
    }
    if (hostEnv != null && !hostEnv.isBlank()) {
      return parse(hostEnv, HOST_ENV);
    }
    String node = nodeFlag == null ? DEFAULT_NODE : nodeFlag;
    Optional<Path> sock = labs.nodeSocket(lab, node);
    if (sock.isPresent()) {
      return unix(sock.get());
    }
    if (nodeFlag != null) {
      throw new IllegalArgumentException("--node " + nodeFlag + ": lab " + lab + " is not up (meshctl lab up starts it)");
    }
    return LOCAL;
  }

  /** {@code ADDR}, {@code ADDR:PORT}, {@code tcp://ADDR[:PORT]} or {@code unix:///PATH}; {@code what} names the source in errors. */
  public static ApiTarget parse(String s, String what) {
    String v = s.trim();
    if (v.startsWith("unix://")) {
      String path = v.substring("unix://".length());
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException(what + " \"" + s + "\": a unix socket must be unix:///absolute/path");
      }
      return unix(Path.of(path));
    }
    if (v.startsWith("tcp://")) {
      v = v.substring("tcp://".length());
    }
    if (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    int colon = v.lastIndexOf(':');
    String host = colon < 0 ? v : v.substring(0, colon);
    int port = DEFAULT_PORT;
    if (colon >= 0) {
      try {
        port = Integer.parseInt(v.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (host.isEmpty() || host.contains("/") || port < 1 || port > 65535) {
      throw new IllegalArgumentException(what + " \"" + s + "\" must be ADDR or ADDR:PORT (port 1-65535, default " + DEFAULT_PORT + ")");
    }
    return new ApiTarget(host, port, null);
  }

  /** {@code host:port}. */
  public String address() {
    return host + ":" + port;
  }

  /** {@code unix://path}, or {@code host:port} with the namespace when there is one: for messages. */
  public String describe() {
    if (socket != null) {
      return "unix://" + socket;
    }
    return namespace == null ? address() : address() + " in netns " + namespace;
  }
}
