package meshplane.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import meshplane.mesh.NetnsWalk;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meshctl debug netns --node NODE}: every sandbox of a node, how to enter it, and what it holds. */
@Command(name = "debug", mixinStandardHelpOptions = true, description = "Debugging walks through a node's data plane.",
    subcommands = {DebugCommand.Netns.class})
final class DebugCommand {

  @Command(name = "netns", mixinStandardHelpOptions = true,
      description = "Every namespace of NODE with its nsenter command, links, addresses, VIPs, marks and load-balancer entries.")
  static final class Netns implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin LabCommand.LabName lab;
    @Option(names = "--node", required = true, paramLabel = "NODE", description = "node1..nodeN") String node;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      new NetnsWalk(LabNodes.vtepHost(lab.name, node)).lines().forEach(out::println);
      return 0;
    }
  }
}
