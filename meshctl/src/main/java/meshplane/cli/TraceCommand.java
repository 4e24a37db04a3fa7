package meshplane.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import meshplane.vxlan.trace.TraceSpec;
import meshplane.vxlan.trace.TraceSummary;
import meshplane.vxlan.trace.VxlanTrace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl trace --node node2 [--vni 42] [--count 10] [-w file.pcap]}: the VXLAN packets on
 * a lab host's underlay interface, one line each, as {@link VxlanTrace} captures them inside the
 * host's namespace. Lines go to standard output; the banner and the closing summary go to
 * standard error, as tcpdump does, so the lines can be piped.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = "Print the VXLAN packets on a lab host's underlay (eth0), one line each: outer addresses, VNI, inner frame.")
final class TraceCommand implements Callable<Integer> {
  private static final long STOP_WAIT_SECONDS = 3;

  @Spec CommandSpec spec;
  @Mixin LabCommand.LabName lab;

  @Option(names = "--node", required = true, paramLabel = "NODE", description = "The host to capture on: node1..nodeN or client.")
  String node;

  @Option(names = "--vni", paramLabel = "N", description = "Print only packets of this VNI (0-16777215).")
  Integer vni;

  @Option(names = "--count", paramLabel = "K", description = "Stop after K packets are printed.")
  Long count;

  @Option(names = {"-w", "--write"}, paramLabel = "FILE", description = "Also write the printed packets to this pcap file.")
  Path file;

  @Option(names = "--port", defaultValue = "4789", paramLabel = "PORT", description = "VXLAN UDP port. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--timeout", paramLabel = "SECONDS",
      description = "Stop after this many seconds. Default: none; without --count the trace runs until Ctrl-C.")
  Long timeoutSeconds;

  @Override
  public Integer call() {
    // Options are checked before the lab is looked up: bad input is refused without a lab.
    TraceSpec options = new TraceSpec("(node not resolved yet)", TraceSpec.UNDERLAY_INTERFACE, port, vni, count,
        timeoutSeconds == null ? null : Duration.ofSeconds(timeoutSeconds), file);
    LabHost host = Lab.require(lab.name).host(node);
    if (host.role() == LabHost.Role.UNDERLAY) {
      throw new IllegalArgumentException("--node " + node + " has no " + TraceSpec.UNDERLAY_INTERFACE
          + ": trace runs on a node (node1..nodeN) or the client");
    }
    TraceSpec traceSpec = options.withNamespace(host.namespace());
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch done = new CountDownLatch(1);
    try (VxlanTrace trace = VxlanTrace.open(traceSpec, line -> {
      out.println(line);
      out.flush();
    })) {
      err.println("tracing VXLAN on " + node + " (" + traceSpec.iface() + " in netns " + host.namespace() + "): "
          + traceSpec.bpfFilter() + (vni == null ? "" : ", vni " + vni) + (file == null ? "" : ", writing " + file)
          + "; " + until());
      err.flush();
      // Ctrl-C: end the capture and let the dump file be closed before the JVM goes.
      Thread hook = new Thread(() -> {
        trace.stop();
        try {
          done.await(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }, "meshctl-trace-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      TraceSummary summary;
      try {
        summary = trace.run();
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // the hook is running: it waits for us
        }
      }
      err.println(summary.describe());
      err.flush();
    } finally {
      done.countDown();
    }
    return 0;
  }

  private String until() {
    if (count == null && timeoutSeconds == null) {
      return "stop with Ctrl-C";
    }
    return "until " + (count == null ? "" : count + " packets") + (count != null && timeoutSeconds != null ? " or " : "")
        + (timeoutSeconds == null ? "" : timeoutSeconds + " s");
  }
}
