package meshplane.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import meshplane.dns.DnsApplyReport;
import meshplane.dns.DnsConfig;
import meshplane.dns.DnsServer;
import meshplane.dns.ResolvConf;
import meshplane.lab.Lab;
import meshplane.lab.LabHost;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.InvalidStateException;
import meshplane.dataplane.json.StateJson;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.NetNamespace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meshctl dns serve}: the embedded DNS for one lab node, from a desired-state file (docs/dns.md). */
@Command(name = "dns", mixinStandardHelpOptions = true,
    description = "The embedded DNS (127.0.0.11:53 in every task namespace) of a lab node.",
    subcommands = {DnsCommand.Serve.class})
final class DnsCommand {

  @Command(name = "serve", mixinStandardHelpOptions = true,
      description = "Serve NODE's task namespaces from the state file until stopped; re-read the file when it changes.")
  static final class Serve implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin LabCommand.LabName lab;
    @Option(names = "--node", required = true, paramLabel = "NODE", description = "node1..nodeN: upstream queries leave from its namespace")
    String node;
    @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "Desired state JSON.")
    Path file;
    @Option(names = "--ttl", defaultValue = "" + DnsConfig.DEFAULT_TTL, paramLabel = "SECONDS",
        description = "TTL of local answers. Default: ${DEFAULT-VALUE}.")
    long ttl;
    @Option(names = "--upstream", paramLabel = "IP[:PORT]",
        description = "An upstream resolver, in order (repeat). Default: the nameservers of --resolv-conf.")
    List<String> upstreams = new ArrayList<>();
    @Option(names = "--resolv-conf", defaultValue = "/etc/resolv.conf", paramLabel = "PATH",
        description = "The node's resolv.conf, when no --upstream is given. Default: ${DEFAULT-VALUE}.")
    Path resolvConf;
    @Option(names = "--upstream-timeout-ms", defaultValue = "1000", paramLabel = "MS",
        description = "How long one upstream gets before the next. Default: ${DEFAULT-VALUE}.")
    long upstreamTimeoutMs;
    @Option(names = "--transport", defaultValue = "auto", paramLabel = "T", description = "auto, io_uring or epoll. Default: ${DEFAULT-VALUE}.")
    String transport;
    @Option(names = "--threads", defaultValue = "0", paramLabel = "N", description = "Event-loop threads (0: one per CPU).")
    int threads;

    @Override
    public Integer call() throws Exception {
      PrintWriter out = spec.commandLine().getOut();
      LabHost host = Lab.require(lab.name).host(node);
      if (host.role() != LabHost.Role.NODE) {
        throw new IllegalArgumentException("--node " + node + " must be a node (node1..nodeN)");
      }
      List<InetSocketAddress> ups = upstreams.isEmpty() ? ResolvConf.upstreams(resolvConf) : parseUpstreams(upstreams);
      DnsConfig config = DnsConfig.defaults(ups).withTtl(ttl).withTransport(transport)
          .withUpstreamTimeout(Duration.ofMillis(upstreamTimeoutMs));
      if (threads > 0) {
        config = config.withThreads(threads);
      }
      DataplaneState state = StateJson.parse(Files.readString(file));
      CountDownLatch stop = new CountDownLatch(1);
      try (NetNamespace nodeNs = NetNamespace.open(host.namespace());
          DnsServer server = DnsServer.start(config, nodeNs)) {
        report(out, server.apply(state), server);
        out.printf("%s: serving on %s (%s), ttl %d s, upstreams %s from %s%n", node, config.listen(), server.transport(),
            ttl, ups, host.namespace());
        out.flush();
        Thread hook = new Thread(() -> {
          stop.countDown();
        }, "dns-serve-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        FileTime seen = Files.getLastModifiedTime(file);
        while (!stop.await(500, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          FileTime now = Files.getLastModifiedTime(file);
          if (!now.equals(seen)) {
            seen = now;
            reload(out, server);
          }
        }
        out.println(node + ": stopping: " + server.counters());
        out.flush();
      }
      return 0;
    }

    private void reload(PrintWriter out, DnsServer server) throws IOException {
      try {
        report(out, server.apply(StateJson.parse(Files.readString(file))), server);
      } catch (InvalidStateException e) {
        out.println(node + ": " + file + " refused, still serving the previous state: " + e.getMessage());
      }
      out.flush();
    }

    private void report(PrintWriter out, DnsApplyReport r, DnsServer server) {
      r.opened().forEach(ns -> out.println("listening in " + ns));
      r.closed().forEach(ns -> out.println("closed " + ns));
      r.failed().forEach((ns, why) -> out.println("NOT listening in " + ns + ": " + why));
      out.printf("%s: %d record name(s), %d namespace(s) served%n", node, r.names(), server.namespaces().size());
    }

    static List<InetSocketAddress> parseUpstreams(List<String> specs) {
      List<InetSocketAddress> out = new ArrayList<>();
      for (String s : specs) {
        int colon = s.lastIndexOf(':');
        boolean hasPort = colon > 0 && s.indexOf(':') == colon;
        String ip = hasPort ? s.substring(0, colon) : s;
        int port = 53;
        if (hasPort) {
          try {
            port = Integer.parseInt(s.substring(colon + 1));
          } catch (NumberFormatException e) {
            port = -1;
          }
          if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--upstream " + s + ": port must be 1-65535");
          }
        }
        out.add(new InetSocketAddress(IpPrefix.literal(ip, "--upstream " + s), port));
      }
      return out;
    }
  }
}
