package meshplane.dns;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import meshplane.dataplane.json.StateJson;
import meshplane.netlink.NetNamespace;

/**
 * The embedded DNS alone in a JVM of its own, for e2e tests that measure it from outside (RSS and
 * threads from /proc) while they attack it: {@code NODE_NS STATE_FILE UPSTREAM_IP...}. It prints
 * {@code ready} once the state is applied; on each {@code stats} line on stdin it prints its heap
 * and Netty's buffers and the counters; on {@code gc} it collects first; stdin's end stops it.
 */
public final class DnsServerProcess {
  private DnsServerProcess() {}

  public static void main(String[] args) throws Exception {
    List<InetSocketAddress> upstreams = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      upstreams.add(new InetSocketAddress(InetAddress.getByName(args[i]), 53));
    }
    DnsConfig c = DnsConfig.defaults(upstreams).withUpstreamTimeout(Duration.ofMillis(500));
    try (NetNamespace nodeNs = NetNamespace.open(args[0]);
        DnsServer server = DnsServer.start(c, nodeNs)) {
      DnsApplyReport r = server.apply(StateJson.parse(Files.readString(Path.of(args[1]))));
      System.out.println("ready " + r);
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("gc")) {
          System.gc();
        }
        var netty = ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric();
        System.out.println("stats heap=" + ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()
            + " netty=" + (netty.usedDirectMemory() + netty.usedHeapMemory()) + " " + server.counters());
      }
    }
  }
}
