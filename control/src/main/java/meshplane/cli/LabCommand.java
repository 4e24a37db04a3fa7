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
    subcommands = {LabCommand.Up.class, LabCommand.Ls.class, LabCommand.Exec.class, LabCommand.Down.class})
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
    @picocli.CommandLine.Mixin LabName lab;

    @Override
    public Integer call() {
      long t0 = System.nanoTime();
      Lab l = Lab.up(new LabSpec(lab.name, nodes));
      spec.commandLine().getOut().printf("lab \"%s\" up: %d nodes and a client in %d ms%n",
          l.name(), nodes, (System.nanoTime() - t0) / 1_000_000);
      Ls.print(spec.commandLine().getOut(), l);
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
      List<String> removed = Lab.down(lab.name);
      spec.commandLine().getOut().printf("lab \"%s\" down: removed %d namespaces%s%n", lab.name, removed.size(),
          removed.isEmpty() ? "" : " " + String.join(" ", removed));
      return 0;
    }
  }
}
