package meshplane.cluster.api;

import java.util.Optional;

/**
 * Where a client sends its API requests: {@code host:port}, reached from inside the network
 * namespace {@code namespace} (null: the caller's own). meshctl picks it with {@link #resolve},
 * the one place that holds the rule:
 * <ol>
 *   <li>{@code --host ADDR[:PORT]}, in the current namespace;</li>
 *   <li>else the environment variable {@code MESHPLANE_HOST} (same form);</li>
 *   <li>else, when the lab {@code --lab} (default {@code lab}) is up: {@code 127.0.0.1:2377} inside
 *       the namespace of its node {@code --node} (default {@code node1}); {@code --node} given
 *       while the lab is down is an error;</li>
 *   <li>else {@code 127.0.0.1:2377} in the current namespace.</li>
 * </ol>
 */
public record ApiTarget(String host, int port, String namespace) {
  public static final int DEFAULT_PORT = 2377;
  public static final String HOST_ENV = "MESHPLANE_HOST";
  public static final String DEFAULT_NODE = "node1";
  public static final ApiTarget LOCAL = new ApiTarget("127.0.0.1", DEFAULT_PORT, null);

  public ApiTarget {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("API host must not be empty");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("API port " + port + " must be 1-65535");
    }
  }

  /** Finds a lab node's namespace: empty when the lab is not up; throws when it has no such node. */
  @FunctionalInterface
  public interface LabLookup {
    Optional<String> nodeNamespace(String lab, String node);

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
    Optional<String> ns = labs.nodeNamespace(lab, node);
    if (ns.isPresent()) {
      return new ApiTarget("127.0.0.1", DEFAULT_PORT, ns.get());
    }
    if (nodeFlag != null) {
      throw new IllegalArgumentException("--node " + nodeFlag + ": lab " + lab + " is not up (meshctl lab up starts it)");
    }
    return LOCAL;
  }

  /** {@code ADDR}, {@code ADDR:PORT} or {@code tcp://ADDR[:PORT]}; {@code what} names the source in errors. */
  public static ApiTarget parse(String s, String what) {
    String v = s.trim();
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

  /** {@code host:port}, with the namespace when there is one: for messages. */
  public String describe() {
    return namespace == null ? address() : address() + " in netns " + namespace;
  }
}
