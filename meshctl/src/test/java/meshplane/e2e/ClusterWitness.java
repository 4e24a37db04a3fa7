package meshplane.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import meshplane.lab.HostCommand;
import meshplane.lab.Lab;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Command;

/**
 * What a cluster test checks meshplane against, with tools of its own: curl from the lab's
 * client, dig and ping inside a task's namespace, {@code /proc} for the tasks' processes, the
 * namespaces under {@code /run/netns}.
 */
final class ClusterWitness {
  private final Lab lab;

  ClusterWitness(Lab lab) {
    this.lab = lab;
  }

  String nodeAddress(String node) {
    return lab.host(node).underlayAddress();
  }

  /** A task's network namespace on its node: {@code <node namespace>-<short id>}. */
  String taskNamespace(String node, String taskId) {
    return lab.host(node).namespace() + "-" + taskId.substring(0, 10);
  }

  List<String> namespaces() {
    return NetNamespace.listWithPrefix("mp-" + lab.name() + "-");
  }

  /** One HTTP GET from the client: whoami's {@code Hostname:} line, or empty when nothing answered. */
  Optional<String> hostnameFromClient(String node, int port) {
    HostCommand.Result r = HostCommand.run(lab.client(), 20,
        List.of("curl", "-s", "--connect-timeout", "2", "-m", "3", "http://" + nodeAddress(node) + ":" + port + "/"));
    return r.ok() ? hostnameIn(r.output()) : Optional.empty();
  }

  /** The curl from the client, its status and output (for errors that say what happened). */
  HostCommand.Result curlFromClient(String node, int port, int timeoutSeconds) {
    return HostCommand.run(lab.client(), 20, List.of("curl", "-sS", "--connect-timeout", String.valueOf(timeoutSeconds),
        "-m", String.valueOf(timeoutSeconds), "http://" + nodeAddress(node) + ":" + port + "/"));
  }

  /** A GET of {@code rawPath} (sent as written: --path-as-is) from the client: the body, then the status on the last line. */
  HostCommand.Result getFromClient(String node, int port, String rawPath) {
    return HostCommand.run(lab.client(), 20, List.of("curl", "-sS", "--path-as-is", "--connect-timeout", "3", "-m", "5",
        "-w", "\n%{http_code}", "http://" + nodeAddress(node) + ":" + port + rawPath));
  }

  /**
   * The same over TLS with the client certificate in {@code certs} (ca.pem, cert.pem, key.pem),
   * the node's certificate checked for the DNS name {@code serverName} (swarm-manager or
   * swarm-worker: every node certificate carries its role as a name).
   */
  HostCommand.Result getFromClientTls(String node, int port, String rawPath, java.nio.file.Path certs, String serverName) {
    return HostCommand.run(lab.client(), 20, List.of("curl", "-sS", "--path-as-is", "--connect-timeout", "3", "-m", "5",
        "--cacert", certs.resolve("ca.pem").toString(), "--cert", certs.resolve("cert.pem").toString(),
        "--key", certs.resolve("key.pem").toString(),
        "--connect-to", serverName + ":" + port + ":" + nodeAddress(node) + ":" + port,
        "-w", "\n%{http_code}", "https://" + serverName + ":" + port + rawPath));
  }

  static Optional<String> hostnameIn(String whoamiAnswer) {
    return whoamiAnswer.lines().filter(l -> l.startsWith("Hostname: ")).map(l -> l.substring("Hostname: ".length()).strip())
        .findFirst();
  }

  /** Runs a command in a namespace under /run/netns (a task's). */
  HostCommand.Result inNamespace(String namespace, String... argv) {
    return HostCommand.run(namespace, 20, List.of(argv));
  }

  /** {@code dig @127.0.0.11 +short NAME} inside a task's namespace: the addresses, sorted. */
  List<String> dig(String namespace, String name) {
    HostCommand.Result r = inNamespace(namespace, "dig", "@127.0.0.11", "+short", "+time=2", "+tries=2", name);
    if (!r.ok()) {
      throw new IllegalStateException("dig " + name + " in " + namespace + " exited " + r.exitCode() + ": " + r.output());
    }
    return r.output().lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
  }

  /** Runs a command inside a task's own network, mount and UTS namespaces (its resolv.conf, its hostname). */
  static Command.Result insideTask(long pid, String... argv) {
    List<String> a = new ArrayList<>(List.of("nsenter", "-t", String.valueOf(pid), "-n", "-m", "-u", "--"));
    a.addAll(List.of(argv));
    return Command.run(20, a.toArray(String[]::new));
  }

  /** Every process whose environment carries {@code MESHPLANE_TASK=<taskId>}, found in /proc. */
  static List<Long> taskPids(String taskId) {
    return meshplane.testkit.Processes.ofTask(taskId);
  }

  /** The task's whoami JVM (its command line names meshplane.whoami.Whoami). */
  static Optional<Long> whoamiPid(String taskId) {
    String mainClass = meshplane.whoami.Whoami.class.getName();
    return taskPids(taskId).stream().filter(pid -> cmdline(pid).contains(mainClass)).findFirst();
  }

  static String cmdline(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }

  static String environ(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")), StandardCharsets.UTF_8).replace('\0', '\n');
    } catch (IOException e) {
      return "";
    }
  }
}
