package meshplane.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import meshplane.mesh.ApplyReport;
import meshplane.mesh.MeshReconciler;
import meshplane.mesh.ObservedState;
import meshplane.mesh.lb.LbMode;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.json.StateJson;
import meshplane.netlink.NetNamespace;
import meshplane.vxlan.VtepHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl dataplane apply|show|reset --node NODE}: drive one lab node's data plane from a
 * desired-state document with no control plane (docs/dataplane-state.md), read it back, or
 * remove it.
 */
@Command(name = "dataplane", mixinStandardHelpOptions = true,
    description = "Apply, show or reset a lab node's data plane (overlays, ingress_sbox, lb_ sandboxes, VIPs, published ports).",
    subcommands = {DataplaneCommand.Apply.class, DataplaneCommand.Show.class, DataplaneCommand.Reset.class})
final class DataplaneCommand {

  @Command(name = "apply", mixinStandardHelpOptions = true,
      description = "Make NODE's data plane what the state file says; only differences are programmed.")
  static final class Apply implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin LabCommand.LabName lab;
    @Option(names = "--node", required = true, paramLabel = "NODE", description = "node1..nodeN") String node;
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "Desired state JSON ('-' for standard input).")
    String file;
    @Option(names = "--lb", defaultValue = "auto", paramLabel = "MODE",
        description = "Load balancer: auto, ipvs or nftables. auto picks IPVS where the kernel has it. Default: ${DEFAULT-VALUE}.")
    String lb;

    @Override
    public Integer call() throws IOException {
      LbMode mode = LbMode.parse(lb);
      String json = "-".equals(file) ? new String(System.in.readAllBytes()) : Files.readString(Path.of(file));
      DataplaneState desired = StateJson.parse(json); // validated whole before anything changes
      VtepHost host = LabNodes.vtepHost(lab.name, node);
      PrintWriter out = spec.commandLine().getOut();
      long start = System.nanoTime();
      LbMode lbMode;
      try (NetNamespace ns = NetNamespace.open(host.namespace())) {
        lbMode = mode.resolve(ns);
        spec.commandLine().getOut().println("load balancer: " + lbMode.explain(mode, ns));
      }
      try (MeshReconciler r = new MeshReconciler(host, lbMode)) {
        ApplyReport report = r.apply(desired);
        for (String c : report.changes()) {
          out.println(c);
        }
        out.printf("%s: %s in %d ms (%s)%n", node, report.isEmpty() ? "nothing to change" : report.changes().size() + " step(s) changed",
            (System.nanoTime() - start) / 1_000_000, r.loadBalancer());
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "Print NODE's data plane as read from the kernel, as desired-state JSON.")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin LabCommand.LabName lab;
    @Option(names = "--node", required = true, paramLabel = "NODE", description = "node1..nodeN") String node;

    @Override
    public Integer call() {
      VtepHost host = LabNodes.vtepHost(lab.name, node);
      DataplaneState observed = new ObservedState(host).read();
      spec.commandLine().getOut().println(StateJson.write(observed));
      return 0;
    }
  }

  @Command(name = "reset", mixinStandardHelpOptions = true,
      description = "Remove everything the data plane made on NODE: tables, gateway bridge, sandboxes, task namespaces.")
  static final class Reset implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin LabCommand.LabName lab;
    @Option(names = "--node", required = true, paramLabel = "NODE", description = "node1..nodeN") String node;

    @Override
    public Integer call() {
      VtepHost host = LabNodes.vtepHost(lab.name, node);
      try (MeshReconciler r = new MeshReconciler(host, LbMode.NFTABLES)) {
        List<String> removed = r.reset();
        PrintWriter out = spec.commandLine().getOut();
        removed.forEach(x -> out.println("removed " + x));
        out.println(node + ": " + removed.size() + " object(s) removed");
      }
      return 0;
    }
  }
}
