package meshplane.vxlan.userspace;

import meshplane.nettyio.TransportChoice;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import meshplane.netlink.MacAddress;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.TunTap;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import meshplane.vxlan.OverlayNetwork;
import meshplane.vxlan.Peer;
import meshplane.vxlan.PeerChange;

/**
 * Two hosts joined by a veth underlay, one overlay network (vni 42, 10.99.0.0/24) across them:
 *
 * <pre>
 *  eA eth0 10.99.0.2 ── hA: br0 ── vx0 (kernel VXLAN, nolearning proxy, built with ip)  198.18.5.1 u0
 *                                                                                          │ veth
 *  eB eth0 10.99.0.3 ── sB: br0 ── mp-tap0 ◀──▶ UserspaceVtep (UDP socket in hB)        198.18.5.2 u0
 * </pre>
 *
 * The kernel side is built by hand with {@code ip} and {@code bridge}: it is the independent
 * witness the userspace VTEP must interoperate with. Processes started in the namespaces are
 * killed on {@link #close}, and the VTEP is closed, before the namespaces are deleted.
 */
final class InteropBed implements AutoCloseable {
  static final String EA_MAC = "02:42:0a:63:00:02";
  static final String EB_MAC = "02:42:0a:63:00:03";
  static final String EA_IP = "10.99.0.2";
  static final String EB_IP = "10.99.0.3";
  static final String HA_UNDERLAY = "198.18.5.1";
  static final String HB_UNDERLAY = "198.18.5.2";
  static final OverlayNetwork NET = OverlayNetwork.of("red", 42, "10.99.0.0/24", "10.99.0.1");

  final NetNamespace hA;
  final NetNamespace hB;
  final NetNamespace eA;
  final NetNamespace sB;
  final NetNamespace eB;
  final UserspaceVtep vtep;
  private final List<Process> processes = new ArrayList<>();

  private InteropBed(FreshNamespaces.Namespaces spaces, TransportChoice transport) {
    hA = spaces.create(NetNamespace.class);
    hB = spaces.create(NetNamespace.class);
    eA = spaces.create(NetNamespace.class);
    sB = spaces.create(NetNamespace.class);
    eB = spaces.create(NetNamespace.class);
    underlay();
    kernelSide();
    UserspaceVtep started = null;
    try {
      TunTap tap = userspaceSandbox();
      started = UserspaceVtep.start(hB, v4(HB_UNDERLAY), NET.port(), transport);
      try {
        started.addNetwork(NET, tap);
      } catch (RuntimeException e) {
        tap.close();
        throw e;
      }
      started.apply(NET.id(), List.of(new PeerChange.Add(peerA(HA_UNDERLAY))));
    } catch (RuntimeException e) {
      if (started != null) {
        started.close();
      }
      throw e;
    }
    vtep = started;
  }

  static InteropBed build(FreshNamespaces.Namespaces spaces, TransportChoice transport) {
    return new InteropBed(spaces, transport);
  }

  /** The kernel side's endpoint as a peer of the userspace VTEP, behind {@code vtep}. */
  static Peer peerA(String vtep) {
    return new Peer(NET.id(), v4(EA_IP), MacAddress.parse(EA_MAC), v4(vtep));
  }

  static Inet4Address v4(String a) {
    try {
      return (Inet4Address) InetAddress.getByName(a);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(a, e);
    }
  }

  static void ip(NetNamespace ns, String... args) {
    List<String> argv = new ArrayList<>(List.of("ip", "-n", ns.name()));
    argv.addAll(List.of(args));
    Command.run(argv.toArray(String[]::new)).orThrow();
  }

  private void underlay() {
    for (NetNamespace ns : List.of(hA, hB, eA, sB, eB)) {
      ip(ns, "link", "set", "lo", "up");
    }
    ip(hA, "link", "add", "u0", "type", "veth", "peer", "name", "u0", "netns", hB.name());
    ip(hA, "addr", "add", HA_UNDERLAY + "/24", "dev", "u0");
    ip(hB, "addr", "add", HB_UNDERLAY + "/24", "dev", "u0");
    ip(hA, "link", "set", "u0", "up");
    ip(hB, "link", "set", "u0", "up");
  }

  private void kernelSide() {
    ip(hA, "link", "add", "vx0", "type", "vxlan", "id", "42", "dstport", "4789", "local", HA_UNDERLAY, "nolearning", "proxy");
    ip(hA, "link", "set", "vx0", "mtu", "1450");
    ip(hA, "link", "add", "br0", "type", "bridge");
    ip(hA, "link", "set", "vx0", "master", "br0");
    ip(hA, "link", "add", "vA", "type", "veth", "peer", "name", "eth0", "netns", eA.name());
    ip(hA, "link", "set", "vA", "mtu", "1450", "master", "br0");
    for (String dev : List.of("vx0", "vA", "br0")) {
      ip(hA, "link", "set", dev, "up");
    }
    endpoint(eA, EA_MAC, EA_IP);
    ip(hA, "neigh", "add", EB_IP, "lladdr", EB_MAC, "dev", "vx0", "nud", "permanent");
    Command.run("bridge", "-n", hA.name(), "fdb", "add", EB_MAC, "dev", "vx0", "dst", HB_UNDERLAY, "self", "permanent").orThrow();
  }

  private TunTap userspaceSandbox() {
    ip(sB, "link", "add", "br0", "type", "bridge");
    ip(sB, "link", "add", "vB", "type", "veth", "peer", "name", "eth0", "netns", eB.name());
    ip(sB, "link", "set", "vB", "mtu", "1450", "master", "br0", "up");
    endpoint(eB, EB_MAC, EB_IP);
    TunTap tap = TunTap.create(sB, "mp-tap0", TunTap.Mode.TAP, false);
    try {
      ip(sB, "link", "set", "mp-tap0", "mtu", "1450", "master", "br0", "up");
      ip(sB, "link", "set", "br0", "up");
    } catch (RuntimeException e) {
      tap.close();
      throw e;
    }
    return tap;
  }

  private static void endpoint(NetNamespace ns, String mac, String address) {
    ip(ns, "link", "set", "eth0", "address", mac, "mtu", "1450", "up");
    ip(ns, "addr", "add", address + "/24", "dev", "eth0");
  }

  /** {@code ping -c count} from an endpoint namespace; the result carries ping's output. */
  static Command.Result ping(NetNamespace from, String to, int count) {
    return Command.run(30, "ip", "netns", "exec", from.name(), "ping", "-c", Integer.toString(count), "-i", "0.2",
        "-W", "2", to);
  }

  /** Whether every one of {@code count} pings was answered. */
  static boolean pingsAll(NetNamespace from, String to, int count) {
    Command.Result r = ping(from, to, count);
    return r.ok() && r.output().contains(count + " received");
  }

  /** Starts a long-running process inside {@code ns}; it is killed on {@link #close}. */
  Process spawn(NetNamespace ns, String... command) {
    List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    argv.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      processes.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", argv), e);
    }
  }

  /**
   * Sends "hello" over TCP from {@code client} to a {@code socat ... EXEC:cat} echo server in
   * {@code server} and returns what came back (retrying while the server starts listening).
   */
  String tcpEcho(NetNamespace server, String serverIp, NetNamespace client) throws InterruptedException {
    spawn(server, "socat", "TCP-LISTEN:7000,reuseaddr,fork", "EXEC:cat");
    String last = "";
    for (int attempt = 0; attempt < 30; attempt++) {
      Command.Result r = Command.run(20, "ip", "netns", "exec", client.name(), "sh", "-c",
          "echo hello | socat -T2 - TCP:" + serverIp + ":7000");
      if (r.ok() && r.output().contains("hello")) {
        return r.output().trim();
      }
      last = r.output();
      Thread.sleep(100);
    }
    return last;
  }

  /**
   * TCP throughput in Gbit/s from {@code client} to an iperf3 server in {@code server}
   * ({@code reverse}: server to client), measured by iperf3 at the receiver.
   */
  double iperf(NetNamespace server, String serverIp, NetNamespace client, int seconds, boolean reverse)
      throws Exception {
    spawn(server, "iperf3", "-s", "-1", "-p", "5201");
    JsonNode json = null;
    String output = "";
    for (int attempt = 0; attempt < 50; attempt++) {
      List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", client.name(), "iperf3", "-c", serverIp,
          "-p", "5201", "-t", Integer.toString(seconds), "-J"));
      if (reverse) {
        argv.add("-R");
      }
      output = Command.run(seconds + 30, argv.toArray(String[]::new)).output();
      json = new ObjectMapper().readTree(output);
      // iperf3 3.12 exits 0 with -J even when it could not connect: the error is in the JSON
      if (!json.path("error").asText().contains("unable to connect")) {
        break;
      }
      Thread.sleep(100);
    }
    if (json.path("end").path("sum_received").isMissingNode()) {
      throw new IllegalStateException("iperf3 gave no result: " + output);
    }
    return json.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e9;
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : processes) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    vtep.close();
  }
}
