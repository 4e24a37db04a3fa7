package meshplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiTarget;
import meshplane.lab.HostCommand;
import meshplane.lab.Lab;

/**
 * The benchmark's lab {@code ctlbench} (namespaces {@code mp-ctlbench-*}): three nodes, all
 * managers, each running {@code meshctl daemon}, brought up and torn down with meshctl's own
 * {@code lab up} / {@code lab down} (so the daemons run meshctl.jar, as a user's do). The API of
 * a node is reached as meshctl reaches {@code --node nodeK}: 127.0.0.1:2377 inside its namespace.
 */
final class ControlLab {
  static final String NAME = "ctlbench";
  static final List<String> NODES = List.of("node1", "node2", "node3");
  private static final Path DAEMON_DIR = Path.of("/run/meshplane", NAME); // meshctl lab up writes nodeK.pid there

  private final Lab lab;
  private final Map<String, String> nodeIds;

  private ControlLab(Lab lab, Map<String, String> nodeIds) {
    this.lab = lab;
    this.nodeIds = nodeIds;
  }

  /** Removes what an earlier run left, then {@code meshctl lab up --name ctlbench --nodes 3 --managers 3}. */
  static ControlLab up(PrintStream out) {
    if (Lab.find(NAME).isPresent() || Files.isDirectory(DAEMON_DIR)) {
      out.println("  removing lab " + NAME + " left by an earlier run");
      down();
    }
    List<String> argv = List.of("lab", "up", "--name", NAME, "--nodes", Integer.toString(NODES.size()),
        "--managers", Integer.toString(NODES.size()));
    out.println("  meshctl " + String.join(" ", argv));
    HostCommand.Result r = MeshctlCli.run(240, argv.toArray(String[]::new));
    r.output().lines().filter(l -> l.startsWith("swarm up") || l.startsWith("lab ")).forEach(l -> out.println("    " + l));
    if (!r.ok()) {
      throw new IllegalStateException("meshctl lab up --name " + NAME + " exited " + r.exitCode() + ": " + r.output().strip());
    }
    Lab lab = Lab.require(NAME);
    ApiClient first = client(lab, NODES.get(0));
    Map<String, String> ids = new LinkedHashMap<>();
    for (JsonNode n : first.get("/v1/nodes")) {
      ids.put(n.path("hostname").asText(), n.path("id").asText());
    }
    if (!ids.keySet().containsAll(NODES)) {
      throw new IllegalStateException("lab " + NAME + ": the swarm lists nodes " + ids.keySet() + ", not " + NODES);
    }
    return new ControlLab(lab, Map.copyOf(ids));
  }

  /** {@code meshctl lab down --name ctlbench}: stops the daemons (they stop their tasks), kills what is left, removes the namespaces. */
  static void down() {
    HostCommand.Result r = MeshctlCli.run(300, "lab", "down", "--name", NAME);
    if (!r.ok()) {
      throw new IllegalStateException("meshctl lab down --name " + NAME + " exited " + r.exitCode() + ": " + r.output().strip());
    }
    Lab.down(NAME); // nothing left normally; a lab whose daemons never started has only namespaces
  }

  private static ApiClient client(Lab lab, String node) {
    return new ApiClient(ApiTarget.unix(java.nio.file.Path.of("/run/meshplane", lab.name(), node + ".sock")));
  }

  /** The API of {@code node}'s daemon, reached inside its namespace. */
  ApiClient api(String node) {
    return client(lab, node);
  }

  /**
   * The API of {@code manager}'s daemon over mutual TLS as node {@code asNode} (its own
   * certificate, from its state folder): the dispatcher's routes answer a node only for itself.
   */
  ApiClient asNode(String asNode, String manager) {
    java.nio.file.Path dir = java.nio.file.Path.of("/run/meshplane", NAME, asNode, "certificates");
    meshplane.pki.NodeCredentials c = meshplane.pki.NodeCredentials.read(dir.resolve("swarm-node.key"),
        dir.resolve("swarm-node.crt"), dir.resolve("swarm-root-ca.crt"));
    return new ApiClient(new ApiTarget("127.0.0.1", ApiTarget.DEFAULT_PORT, namespace(manager)),
        meshplane.cluster.api.ClientTls.of(new meshplane.pki.LiveCredentials(c), meshplane.pki.CertRole.MANAGER), 5_000, 30_000);
  }

  String namespace(String host) {
    return lab.host(host).namespace();
  }

  String underlay(String node) {
    return lab.host(node).underlayAddress();
  }

  String clientNamespace() {
    return lab.client().namespace();
  }

  String nodeId(String hostname) {
    String id = nodeIds.get(hostname);
    if (id == null) {
      throw new IllegalArgumentException("lab " + NAME + " has no node " + hostname + "; it has " + nodeIds.keySet());
    }
    return id;
  }

  /**
   * The pid of {@code node}'s {@code meshctl daemon} (nsenter exec'd setsid, which exec'd java, so
   * the pid lab up recorded is the JVM's); checked against its command line.
   */
  long daemonPid(String node) {
    Path f = DAEMON_DIR.resolve(node + ".pid");
    try {
      long pid = Long.parseLong(Files.readString(f).strip());
      String cmdline = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
          .replace('\0', ' ');
      if (!cmdline.contains(" daemon ") || !cmdline.contains(node)) {
        throw new IllegalStateException("pid " + pid + " of " + f + " is not the daemon of " + node + ": " + cmdline);
      }
      return pid;
    } catch (IOException | NumberFormatException e) {
      throw new IllegalStateException("cannot find the daemon of " + node + " from " + f + ": " + e.getMessage(), e);
    }
  }
}
