package meshplane.cli;

import java.util.List;
import java.util.concurrent.Callable;
import meshplane.lab.HostCommand;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import meshplane.lab.LabSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code meshctl lab up|ls|exec|down}: the multi-host test bed in network namespaces. */
@Command(name = "lab", mixinStandardHelpOptions = true, description = "The test bed: hosts in network namespaces on an underlay bridge.",
    subcommands = {LabCommand.Up.class, LabCommand.Ls.class, LabCommand.Exec.class, LabCommand.Stop.class, LabCommand.Start.class,
        LabCommand.Down.class})
final class LabCommand implements Runnable {
  @Spec CommandSpec spec;

  /** {@code meshctl lab} alone: say which subcommands there are. */
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is missing: up, ls, exec or down");
  }

  /** The --name option every lab subcommand takes. */
  static final class LabName {
    @Option(names = "--name", defaultValue = LabSpec.DEFAULT_NAME,
        description = "Lab name (namespaces are mp-NAME-*). Default: ${DEFAULT-VALUE}.")
    String name;
  }

  @Command(name = "up", mixinStandardHelpOptions = true, description = "Create node1..nodeN and a client on an underlay bridge (198.18.0.0/24).")
  static final class Up implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Option(names = "--nodes", defaultValue = "3", description = "Number of nodes (1-50). Default: ${DEFAULT-VALUE}.")
    int nodes;
    @Option(names = "--managers", defaultValue = "1", description = "How many nodes are managers (node1.., 1 to --nodes; 1, 3 or 5 keep a majority). Default: ${DEFAULT-VALUE}.")
    int managers;
    @Option(names = "--heartbeat", defaultValue = "5s", paramLabel = "DURATION",
        description = "The agents' heartbeat period (three missed: the node is down). Default: ${DEFAULT-VALUE}.")
    String heartbeat;
    @Option(names = "--no-swarm", description = "Only the namespaces: no node daemons, no swarm.")
    boolean noSwarm;
    @picocli.CommandLine.Mixin LabName lab;

    @Override
    public Integer call() {
      LabSpec labSpec = new LabSpec(lab.name, nodes); // its rules first (name, 1-50 nodes)
      if (!noSwarm && (managers < 1 || managers > nodes)) {
        throw new IllegalArgumentException("--managers " + managers + " must be 1 to --nodes (" + nodes + ")");
      }
      long hb;
      try {
        hb = Durations.parseMillis(heartbeat);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--heartbeat: " + e.getMessage());
      }
      long t0 = System.nanoTime();
      Lab l = Lab.up(labSpec);
      java.io.PrintWriter out = spec.commandLine().getOut();
      out.printf("lab \"%s\" up: %d nodes and a client in %d ms%n", l.name(), nodes, (System.nanoTime() - t0) / 1_000_000);
      Ls.print(out, l);
      if (!noSwarm) {
        try {
          LabDaemons.formSwarm(l, managers, hb, out);
        } catch (RuntimeException e) {
          LabDaemons.stopAll(l.name());
          Lab.down(l.name());
          throw e;
        }
        out.printf("swarm up in %d ms: %d manager(s), %d worker(s); try: meshctl node ls%n",
            (System.nanoTime() - t0) / 1_000_000, managers, nodes - managers);
      }
      return 0;
    }
  }

  @Command(name = "ls", mixinStandardHelpOptions = true, description = "List the lab's hosts, underlay addresses and namespace paths.")
  static final class Ls implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin LabName lab;
    @Option(names = "--json", description = "Print the lab as JSON.")
    boolean json;

    @Override
    public Integer call() {
      Lab l = Lab.require(lab.name);
      if (json) {
        spec.commandLine().getOut().println(l.state().toJson());
      } else {
        print(spec.commandLine().getOut(), l);
      }
      return 0;
    }

    static void print(java.io.PrintWriter out, Lab l) {
      out.printf("%-10s %-9s %-15s %-22s %s%n", "HOST", "ROLE", "UNDERLAY", "NAMESPACE", "ENTER WITH");
      for (LabHost h : l.hosts()) {
        out.printf("%-10s %-9s %-15s %-22s %s%n", h.name(), h.role().name().toLowerCase(),
            h.underlayAddress() == null ? "-" : h.underlayAddress() + "/" + LabSpec.UNDERLAY_PREFIX_LENGTH,
            h.namespace(), h.nsenterCommand());
      }
      out.flush();
    }
  }

  @Command(name = "exec", mixinStandardHelpOptions = true, description = "Run a command inside a lab host: meshctl lab exec node1 -- ping -c1 198.18.0.3")
  static final class Exec implements Callable<Integer> {
    @picocli.CommandLine.Mixin LabName lab;
    @Parameters(index = "0", paramLabel = "HOST", description = "node1..nodeN, client or underlay.")
    String host;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
    List<String> command;

    @Override
    public Integer call() throws InterruptedException {
      LabHost h = Lab.require(lab.name).host(host);
      // With stop-at-positional, a "--" after HOST arrives as the first word of the command.
      List<String> argv = !command.isEmpty() && command.get(0).equals("--") ? command.subList(1, command.size()) : command;
      if (argv.isEmpty()) {
        throw new IllegalArgumentException("CMD is missing: meshctl lab exec " + host + " -- CMD...");
      }
      Process p = HostCommand.start(h, new ProcessBuilder(argv).inheritIO());
      return p.waitFor();
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true, description = "Remove every namespace and link of the lab.")
  static final class Down implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin LabName lab;

    @Override
    public Integer call() {
      List<String> daemons = LabDaemons.stopAll(lab.name);
      if (!daemons.isEmpty()) {
        spec.commandLine().getOut().printf("stopped the daemons of %s%n", String.join(" ", daemons));
      }
      List<String> removed = Lab.down(lab.name);
      spec.commandLine().getOut().printf("lab \"%s\" down: removed %d namespaces%s%n", lab.name, removed.size(),
          removed.isEmpty() ? "" : " " + String.join(" ", removed));
      return 0;
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Stop a node's daemon: SIGTERM (it stops its tasks), or --kill (SIGKILL, as a crash: its tasks keep running).")
  static final class Stop implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin LabName lab;
    @Parameters(index = "0", paramLabel = "NODE", description = "node1..nodeN") String node;
    @Option(names = "--kill", description = "SIGKILL at once.") boolean kill;

    @Override
    public Integer call() {
      Lab.require(lab.name).host(node);
      boolean was = LabDaemons.stop(lab.name, node, kill ? 0 : 20_000);
      spec.commandLine().getOut().println(node + (was ? ": daemon stopped" : ": no daemon was running"));
      return 0;
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a node's daemon again; it resumes its swarm.")
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin LabName lab;
    @Parameters(index = "0", paramLabel = "NODE", description = "node1..nodeN") String node;

    @Override
    public Integer call() {
      Lab l = Lab.require(lab.name);
      if (LabDaemons.running(lab.name, node)) {
        throw new IllegalArgumentException(node + ": its daemon is running already");
      }
      LabDaemons.start(l, node);
      LabDaemons.awaitApi(l, node);
      spec.commandLine().getOut().println(node + ": daemon started");
      return 0;
    }
  }
}
