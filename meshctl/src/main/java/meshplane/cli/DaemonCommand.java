package meshplane.cli;

import java.nio.file.Path;
import meshplane.cluster.api.ApiTarget;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import meshplane.node.daemon.DaemonConfig;
import meshplane.node.daemon.NodeDaemon;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code meshctl daemon}: a node's daemon, run inside the node's network namespace (the lab
 * starts one per node with {@code nsenter --net}). It serves the API on port 2377 and runs the
 * agent, and a manager while the node is one, until SIGTERM; then it stops its tasks.
 */
@Command(name = "daemon", mixinStandardHelpOptions = true,
    description = "Run a node's daemon (API on :2377, agent, manager when it is one) until stopped. Run it inside the node's namespace.")
final class DaemonCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin LabCommand.LabName lab;
  @Option(names = "--node", paramLabel = "NODE", description = "The lab node this daemon is (node1..nodeN): sets hostname, namespace, address and state dir.")
  String node;
  @Option(names = "--hostname", paramLabel = "NAME", description = "The node's name (without --node).") String hostname;
  @Option(names = "--namespace", paramLabel = "NS", description = "The node's network namespace under /run/netns (without --node).") String namespace;
  @Option(names = "--addr", paramLabel = "IP", description = "Advertise (underlay) address (without --node).") String addr;
  @Option(names = "--state-dir", paramLabel = "DIR", description = "Where the daemon keeps its state. Default with --node: /run/meshplane/LAB/NODE.") Path stateDir;
  @Option(names = "--log-dir", paramLabel = "DIR", description = "Where the daemon keeps its tasks' logs, apart from its state. Default with --node: /run/meshplane/LAB/task-logs/NODE, else /var/log/meshplane/tasks.") Path logDir;
  @Option(names = "--lb", defaultValue = "auto", paramLabel = "MODE", description = "Load balancer: auto, ipvs or nftables. Default: ${DEFAULT-VALUE}.") String lb;
  @Option(names = "--cpus", defaultValue = "2000", paramLabel = "MILLICORES", description = "CPU the node offers to reservations. Default: ${DEFAULT-VALUE}.") long cpus;
  @Option(names = "--memory", defaultValue = "4294967296", paramLabel = "BYTES", description = "Memory the node offers to reservations. Default: ${DEFAULT-VALUE}.") long memory;

  @Option(names = "--socket", paramLabel = "PATH", description = "The local API's unix socket (root only). Default with --node: /run/meshplane/LAB/NODE.sock, else /run/meshplane/meshplane.sock.") Path socket;

  /** A lab node's daemon's local socket. */
  static Path labSocket(String labName, String node) {
    return Path.of("/run/meshplane", labName, node + ".sock");
  }

  /** Where a lab node's daemon keeps its tasks' logs: beside its state folder, not in it. */
  static Path labLogsDir(String labName, String node) {
    return Path.of("/run/meshplane", labName, "task-logs", node);
  }

  /** Where a lab node's daemon keeps its state, its log and its pid. */
  static Path labStateDir(String labName, String node) {
    return Path.of("/run/meshplane", labName, node);
  }

  @Override
  public Integer call() throws InterruptedException {
    // Before the first process is started: the JDK then spawns a child with vfork and execs the
    // program directly, instead of posix_spawn of its jspawnhelper, which then execs it. One exec
    // per task start less (on a VM each exec costs ~1 ms, most of it glibc asking cpuid).
    System.setProperty("jdk.lang.Process.launchMechanism", "VFORK");
    DaemonConfig cfg;
    if (node != null) {
      LabHost h = Lab.require(lab.name).host(node);
      if (h.role() != LabHost.Role.NODE) {
        throw new IllegalArgumentException("--node " + node + " must be a node (node1..nodeN)");
      }
      cfg = new DaemonConfig(node, h.namespace(), h.underlayAddress(), "eth0", DaemonConfig.API_PORT, DaemonConfig.RAFT_PORT,
          stateDir != null ? stateDir : labStateDir(lab.name, node), socket != null ? socket : labSocket(lab.name, node), lb,
          cpus, memory, logDir != null ? logDir : labLogsDir(lab.name, node));
    } else {
      if (hostname == null || namespace == null || addr == null || stateDir == null) {
        throw new IllegalArgumentException("without --node, --hostname, --namespace, --addr and --state-dir are all required");
      }
      cfg = new DaemonConfig(hostname, namespace, addr, "eth0", DaemonConfig.API_PORT, DaemonConfig.RAFT_PORT, stateDir,
          socket != null ? socket : ApiTarget.LOCAL_SOCKET, lb, cpus, memory, logDir != null ? logDir : DaemonConfig.DEFAULT_LOGS_DIR);
    }
    CountDownLatch stop = new CountDownLatch(1);
    NodeDaemon d = NodeDaemon.start(cfg);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      d.close();
      stop.countDown();
    }, "daemon-stop"));
    spec.commandLine().getOut().printf("%s: daemon serving on %s%n", cfg.hostname(), d.localApi());
    spec.commandLine().getOut().flush();
    stop.await();
    return 0;
  }
}
