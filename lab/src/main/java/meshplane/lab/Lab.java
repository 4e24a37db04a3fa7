package meshplane.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.Sysctl;
import meshplane.netlink.rtnl.LinkSpec;
import meshplane.netlink.rtnl.RtnlHandle;

/**
 * A multi-host test bed inside one machine: hosts node1..nodeN and a client, each in its own
 * network namespace, joined by a bridge in an underlay namespace of its own. Built with
 * meshplane's own netlink code. The machine's own namespace is never touched: every link, address
 * and sysctl is made inside a namespace named {@code mp-NAME-...}.
 *
 * <pre>
 *   mp-lab-underlay:  mp-br0 ── mp-node1 ... mp-nodeN, mp-client   (veth ends, no addresses)
 *   mp-lab-nodeK:     eth0 198.18.0.K/24      (ip_forward=1)
 *   mp-lab-client:    eth0 198.18.0.200/24
 * </pre>
 */
public final class Lab {
  private final LabState state;

  private Lab(LabState state) {
    this.state = state;
  }

  /** Brings up a lab; on any failure everything it made so far is removed again. */
  public static Lab up(LabSpec spec) {
    List<String> existing = NetNamespace.listWithPrefix(spec.prefix());
    if (!existing.isEmpty()) {
      throw new IllegalStateException("lab " + spec.name() + " is already up (" + existing.size()
          + " namespaces " + spec.prefix() + "*): run meshctl lab down first");
    }
    List<LabHost> hosts = spec.hosts();
    try {
      LabHost underlay = hosts.get(0);
      try (NetNamespace uns = NetNamespace.create(underlay.namespace()); RtnlHandle u = RtnlHandle.open(uns)) {
        u.links().setUp("lo");
        meshplane.netlink.BridgeNetfilter.off(uns); // the underlay is a plain switch
        u.links().add(new LinkSpec.Bridge(LabSpec.BRIDGE));
        u.links().setUp(LabSpec.BRIDGE);
        for (LabHost host : hosts.subList(1, hosts.size())) {
          attach(u, host);
        }
      }
      LabState state = new LabState(spec.name(), spec.nodes(), hosts);
      state.save();
      return new Lab(state);
    } catch (RuntimeException e) {
      try {
        down(spec.name());
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** Creates a host's namespace and wires its eth0 to the underlay bridge. */
  private static void attach(RtnlHandle underlay, LabHost host) {
    String port = "mp-" + host.name();
    try (NetNamespace ns = NetNamespace.create(host.namespace()); RtnlHandle h = RtnlHandle.open(ns)) {
      underlay.links().add(new LinkSpec.Veth(port, "eth0", ns));
      underlay.links().setMaster(port, LabSpec.BRIDGE);
      underlay.links().setUp(port);
      h.links().setUp("lo");
      h.links().setMac("eth0", macFor(host));
      h.addresses().add("eth0", IpPrefix.parse(host.underlayAddress() + "/" + LabSpec.UNDERLAY_PREFIX_LENGTH));
      h.links().setUp("eth0");
      if (host.role() == LabHost.Role.NODE) {
        Sysctl.write(ns, "net.ipv4.ip_forward", "1");
      }
    }
  }

  /** A locally administered MAC that shows the host's underlay address: 02:00:c6:12:00:K. */
  static MacAddress macFor(LabHost host) {
    String[] octets = host.underlayAddress().split("\\.");
    return new MacAddress(new byte[] {0x02, 0x00, (byte) 198, 18, 0, (byte) Integer.parseInt(octets[3])});
  }

  /** The running lab called {@code name}, if it is up. */
  public static Optional<Lab> find(String name) {
    return LabState.load(name)
        .filter(s -> NetNamespace.exists(LabSpec.prefix(name) + "underlay"))
        .map(Lab::new);
  }

  /** The running lab called {@code name}, or an error telling how to start it. */
  public static Lab require(String name) {
    return find(name).orElseThrow(() -> new IllegalStateException(
        "lab " + name + " is not up: run meshctl lab up --nodes N" + (name.equals(LabSpec.DEFAULT_NAME) ? "" : " --name " + name)));
  }

  /**
   * Removes every namespace of the lab (found by prefix, so a half-built lab goes too) and its
   * state file. Deleting a namespace removes the links inside it. Returns what was removed.
   */
  public static List<String> down(String name) {
    List<String> removed = new ArrayList<>();
    RuntimeException first = null;
    for (String ns : NetNamespace.listWithPrefix(LabSpec.prefix(name))) {
      try {
        NetNamespace.delete(ns);
        removed.add(ns);
      } catch (RuntimeException e) {
        first = first == null ? e : first;
      }
    }
    LabState.remove(name);
    if (first != null) {
      throw first;
    }
    return removed;
  }

  public String name() {
    return state.name();
  }

  public LabState state() {
    return state;
  }

  public List<LabHost> hosts() {
    return state.hosts();
  }

  /** node1..nodeN. */
  public List<LabHost> nodes() {
    return state.hosts().stream().filter(h -> h.role() == LabHost.Role.NODE).toList();
  }

  public LabHost client() {
    return host("client");
  }

  /** A host by its lab name (node1, client, underlay). */
  public LabHost host(String hostName) {
    return state.hosts().stream().filter(h -> h.name().equals(hostName)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("lab \"" + name() + "\" has no host \"" + hostName
            + "\"; it has " + state.hosts().stream().map(LabHost::name).toList()));
  }

  /** Runs a command inside a host and collects its output. */
  public HostCommand.Result run(String hostName, String... argv) {
    return HostCommand.run(host(hostName), 60, List.of(argv));
  }
}
