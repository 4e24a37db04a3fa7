package meshplane.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The meshctl command line: {@code meshctl lab up --nodes 3}, {@code meshctl lab ls}, ... */
@Command(name = "meshctl", mixinStandardHelpOptions = true, version = "meshctl 0.1.0",
    description = "Drive meshplane: the lab test bed now; overlays, the routing mesh and the cluster as they land.",
    subcommands = {LabCommand.class, TraceCommand.class, DataplaneCommand.class, DebugCommand.class, DnsCommand.class,
        SwarmCommand.class, NodeCommand.class, NetworkCommand.class, ServiceCommand.class, PublishCommand.class, UnpublishCommand.class,
        DaemonCommand.class, CommandLine.HelpCommand.class})
public final class Meshctl {

  /** Builds the command tree with meshplane's error handling; used by main and by tests. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Meshctl());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      // Kernel and input errors already name the object, the operation and the rule.
      cmd.getErr().println("meshctl: " + e.getMessage());
      if (System.getenv("MESHCTL_DEBUG") != null) {
        e.printStackTrace(cmd.getErr());
      }
      return e instanceof IllegalArgumentException ? 2 : 1;
    });
    cl.getSubcommands().get("lab").getSubcommands().get("exec").setStopAtPositional(true);
    return cl;
  }

  public static void main(String[] args) {
    CommandLine cl = commandLine();
    int rc = cl.execute(args);
    cl.getOut().flush(); // commands that print() without a newline must not lose it at exit
    cl.getErr().flush();
    System.exit(rc);
  }
}
