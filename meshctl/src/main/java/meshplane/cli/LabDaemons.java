package meshplane.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.api.ApiException;
import meshplane.cluster.api.ApiTarget;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import meshplane.lab.LabSpec;
import meshplane.netlink.NetNamespace;

/**
 * The node daemons of a lab: one {@code meshctl daemon} per node, started inside the node's
 * network namespace with {@code nsenter --net} (so its sockets live there). Not {@code ip netns
 * exec}: that also gives the process a mount namespace of its own, and the task namespaces the
 * daemon mounts under /run/netns would then be invisible to everyone else.
 * detached, its log and pid in {@code /run/meshplane/LAB/}, a tmpfs of the lab's own ({@link
 * #TMPFS_BYTES} at most, named {@code meshplane-LAB}, unmounted by {@link #stopAll}), where each
 * daemon keeps its state and its tasks' folders. node1 initialises the swarm, the next
 * {@code managers - 1} nodes join as managers, the rest as workers. Stopping sends SIGTERM (the
 * daemon stops its tasks), then SIGKILL; the lab's teardown also kills any process left in its
 * namespaces.
 */
final class LabDaemons {
  static final long START_LIMIT_MS = 90_000;
  /** The size limit of the lab's tmpfs: raft logs, snapshots, task folders and logs of every node. */
  static final long TMPFS_BYTES = 4L << 30;

  private LabDaemons() {}

  static Path dir(String lab) {
    return Path.of("/run/meshplane", lab);
  }

  /** The source name of the lab's tmpfs, as {@code findmnt} shows it. */
  static String tmpfsSource(String lab) {
    return "meshplane-" + lab;
  }

  static Path pidFile(String lab, String node) {
    return dir(lab).resolve(node + ".pid");
  }

  static Path logFile(String lab, String node) {
    return dir(lab).resolve(node + ".log");
  }

  /** {@code node}'s daemon's local socket. */
  static ApiClient client(Lab l, String node) {
    return new ApiClient(ApiTarget.unix(DaemonCommand.labSocket(l.name(), l.host(node).name())));
  }

  /**
   * Starts every node's daemon and forms the swarm with meshctl's own commands, run in-process
   * against each node's API (so their output is what a person typing them would see).
   */
  static void formSwarm(Lab l, int managers, long heartbeatMillis, PrintWriter out) {
    List<LabHost> nodes = l.nodes();
    if (managers < 1 || managers > nodes.size()) {
      throw new IllegalArgumentException("--managers " + managers + " must be 1 to the number of nodes (" + nodes.size() + ")");
    }
    for (LabHost h : nodes) {
      start(l, h.name());
    }
    for (LabHost h : nodes) {
      awaitApi(l, h.name());
    }
    LabHost first = nodes.get(0);
    String manager = first.underlayAddress() + ":" + ApiTarget.DEFAULT_PORT;
    out.printf("%s$ meshctl swarm init --advertise-addr %s --heartbeat %s%n", first.name(), first.underlayAddress(),
        Durations.format(heartbeatMillis));
    out.print(meshctl(l, first.name(), "swarm", "init", "--advertise-addr", first.underlayAddress(),
        "--heartbeat", Durations.format(heartbeatMillis)));
    String workerToken = meshctl(l, first.name(), "swarm", "join-token", "-q", "worker").strip();
    String managerToken = meshctl(l, first.name(), "swarm", "join-token", "-q", "manager").strip();
    for (int i = 1; i < nodes.size(); i++) {
      LabHost h = nodes.get(i);
      String token = i < managers ? managerToken : workerToken;
      out.printf("%s$ meshctl swarm join --token %s %s%n", h.name(), token, manager);
      out.print(meshctl(l, h.name(), "swarm", "join", "--token", token, manager));
    }
    out.flush();
  }

  /** Runs one meshctl command in-process against {@code node}'s API; its output, or an error with its message. */
  private static String meshctl(Lab l, String node, String... args) {
    java.io.StringWriter o = new java.io.StringWriter();
    java.io.StringWriter e = new java.io.StringWriter();
    picocli.CommandLine cl = Meshctl.commandLine();
    cl.setOut(new PrintWriter(o, true));
    cl.setErr(new PrintWriter(e, true));
    List<String> argv = new ArrayList<>(List.of(args));
    argv.addAll(2, List.of("--lab", l.name(), "--node", node));
    int rc = cl.execute(argv.toArray(String[]::new));
    if (rc != 0) {
      throw new IllegalStateException(node + ": meshctl " + String.join(" ", args) + " exited " + rc + ": " + e.toString().strip());
    }
    return o.toString();
  }

  /** Starts {@code node}'s daemon (it resumes its swarm from its state dir, if it has one). */
  static void start(Lab l, String node) {
    LabHost h = l.host(node);
    try {
      meshplane.netlink.Tmpfs.mount(tmpfsSource(l.name()), dir(l.name()), TMPFS_BYTES);
      String java = ProcessHandle.current().info().command().orElse("java");
      List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + h.namespacePath(), "setsid", java,
          "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          // the daemon's log lines carry their time (meshctl's own warnings on a terminal do not)
          "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd HH:mm:ss.SSS",
          "-cp", meshplane.node.exec.JvmClassPath.absolute(), "meshplane.cli.Meshctl", "daemon", "--name", l.name(), "--node", node));
      Process p = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(l.name(), node).toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      Files.writeString(pidFile(l.name(), node), Long.toString(p.pid()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the daemon of " + node, e);
    }
  }

  static void awaitApi(Lab l, String node) {
    long end = System.currentTimeMillis() + START_LIMIT_MS;
    ApiException last = null;
    while (System.currentTimeMillis() < end) {
      try {
        client(l, node).get("/v1/info");
        return;
      } catch (ApiException e) {
        last = e;
      }
      if (!running(l.name(), node)) {
        throw new IllegalStateException("the daemon of " + node + " exited; its log: " + logFile(l.name(), node));
      }
      sleep(200);
    }
    throw new IllegalStateException("the daemon of " + node + " did not answer in " + START_LIMIT_MS / 1000 + " s: "
        + (last == null ? "" : last.getMessage()) + "; its log: " + logFile(l.name(), node));
  }

  static boolean running(String lab, String node) {
    return pid(lab, node).flatMap(ProcessHandle::of).map(ProcessHandle::isAlive).orElse(false);
  }

  private static java.util.Optional<Long> pid(String lab, String node) {
    try {
      Path f = pidFile(lab, node);
      return Files.exists(f) ? java.util.Optional.of(Long.parseLong(Files.readString(f).trim())) : java.util.Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Stops {@code node}'s daemon: SIGTERM (it stops its tasks) and, after {@code graceMs}, SIGKILL.
   * {@code graceMs} 0 kills at once, as a crash would (its tasks keep running).
   */
  static boolean stop(String lab, String node, long graceMs) {
    java.util.Optional<ProcessHandle> p = pid(lab, node).flatMap(ProcessHandle::of);
    if (p.isEmpty() || !p.get().isAlive()) {
      return false;
    }
    // the pid is nsenter's, which exec'd setsid, which exec'd java: the same process
    ProcessHandle h = p.get();
    if (graceMs > 0) {
      h.destroy();
      try {
        h.onExit().get(graceMs, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    } else {
      h.destroyForcibly();
    }
    try {
      h.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the daemon of " + node + " (pid " + h.pid() + ") does not exit");
    }
    return true;
  }

  /**
   * Stops every daemon of the lab, kills whatever still runs in its namespaces, removes its files
   * and unmounts its tmpfs.
   */
  static List<String> stopAll(String lab) {
    List<String> stopped = new ArrayList<>();
    Path d = dir(lab);
    if (Files.isDirectory(d)) {
      try (var files = Files.list(d)) {
        for (Path f : files.filter(x -> x.getFileName().toString().endsWith(".pid")).toList()) {
          String node = f.getFileName().toString().replace(".pid", "");
          if (stop(lab, node, 20_000)) {
            stopped.add(node);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + d, e);
      }
    }
    NamespaceProcesses.killAll(NetNamespace.listWithPrefix(LabSpec.prefix(lab)));
    NamespaceProcesses.kill(NamespaceProcesses.tasksNaming(d)); // tasks whose namespace lost its name
    if (Files.isDirectory(d)) { // the cgroups of tasks a killed daemon did not remove (task ids are folder names)
      try (var nodes = Files.list(d)) {
        nodes.filter(Files::isDirectory).forEach(n -> meshplane.node.exec.TaskCgroup.removeLeftovers(n.resolve("tasks")));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + d, e);
      }
    }
    meshplane.netlink.Tmpfs.unmount(tmpfsSource(lab), d); // its files go with it
    meshplane.node.exec.Folders.deleteTree(d);
    return stopped;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
