package meshplane.ipvs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * meshplane's requests against the bytes {@code ipvsadm} sends for the same command, captured with
 * {@code strace -e write=all} in a namespace of the vm tier's kernel (ipvsadm needs a kernel with
 * IPVS to get that far). Compared attribute by attribute (path, type, value), in any order and
 * without NLA_F_NESTED (libnl does not set it): every attribute meshplane sends ipvsadm sends with
 * the same value, and ipvsadm sends nothing else but the extras listed per command.
 */
@Tag("vm")
@ExtendWith(FreshNamespaces.class)
class IpvsadmBytesVmTest {
  static final ServiceKey TCP_80 = ServiceKey.tcp("10.0.0.2", 80);

  /** The commands in an order the kernel accepts each: ipvsadm arguments, meshplane's request, ipvsadm's extras. */
  record Case(List<String> ipvsadm, java.util.function.Function<IpvsRequests, MessageBuilder> meshplane, Set<String> extras) {}

  @Test
  void everyCommandCarriesWhatIpvsadmSends(NetNamespace ns) throws Exception {
    loUp(ns);
    int family;
    try (Ipvs ipvs = Ipvs.open(ns)) {
      family = ipvs.familyId();
    }
    IpvsRequests req = new IpvsRequests(family);
    IpvsDestination d = IpvsDestination.masquerade("10.0.1.5", 8080, 3);
    // ipvsadm 1.31 also sends the tunnel attributes of a destination (TUN_TYPE, TUN_PORT,
    // TUN_FLAGS: zero for -m), and the whole service with commands that need only its key
    Set<String> tun = Set.of("2.13", "2.14", "2.15");
    Set<String> fullService = Set.of("1.6", "1.7", "1.8", "1.9");
    List<Case> cases = List.of(
        new Case(List.of("-A", "-f", "256", "-s", "rr"), r -> r.newService(IpvsService.of(ServiceKey.fwmark(256), "rr")), Set.of()),
        new Case(List.of("-A", "-t", "10.0.0.2:80", "-s", "wrr", "-p", "60"),
            r -> r.newService(IpvsService.of(TCP_80, "wrr").persistent(60)), Set.of()),
        new Case(List.of("-E", "-t", "10.0.0.2:80", "-s", "rr"), r -> r.setService(IpvsService.of(TCP_80, "rr")), Set.of()),
        new Case(List.of("-a", "-t", "10.0.0.2:80", "-r", "10.0.1.5:8080", "-m", "-w", "3"),
            r -> r.newDestination(TCP_80, d), union(tun, fullService)),
        new Case(List.of("-e", "-t", "10.0.0.2:80", "-r", "10.0.1.5:8080", "-m", "-w", "0"),
            r -> r.setDestination(TCP_80, d.withWeight(0)), union(tun, fullService)),
        new Case(List.of("-d", "-t", "10.0.0.2:80", "-r", "10.0.1.5:8080"),
            r -> r.delDestination(TCP_80, d.address(), 8080), union(tun, fullService, Set.of("2.3", "2.4", "2.5", "2.6"))),
        new Case(List.of("-D", "-t", "10.0.0.2:80"), r -> r.delService(TCP_80), fullService),
        new Case(List.of("--set", "901", "121", "301"), r -> r.setConfig(new IpvsTimeouts(901, 121, 301)), Set.of()),
        new Case(List.of("-C"), IpvsRequests::flush, Set.of()));
    List<String> problems = new ArrayList<>();
    for (Case c : cases) {
      byte[] ours = c.meshplane().apply(req).build(0, 0);
      int cmd = ours[16] & 0xff;
      byte[] theirs = captured(ns, c.ipvsadm(), family, cmd);
      String what = "ipvsadm " + String.join(" ", c.ipvsadm());
      if (u16(theirs, 6) != u16(ours, 6)) {
        problems.add(what + ": nlmsg flags 0x" + Integer.toHexString(u16(theirs, 6)) + ", meshplane 0x" + Integer.toHexString(u16(ours, 6)));
      }
      Map<String, String> a = attributes(theirs);
      Map<String, String> b = attributes(ours);
      for (Map.Entry<String, String> e : b.entrySet()) {
        if (!e.getValue().equals(a.get(e.getKey()))) {
          problems.add(what + ": attribute " + e.getKey() + " meshplane " + e.getValue() + ", ipvsadm " + a.get(e.getKey()));
        }
      }
      Set<String> extras = new java.util.TreeSet<>();
      for (String k : a.keySet()) {
        if (!b.containsKey(k) && !isNest(k, b)) {
          extras.add(k);
        }
      }
      if (!extras.equals(new java.util.TreeSet<>(c.extras()))) {
        problems.add(what + ": ipvsadm's extra attributes " + extras + ", expected " + new java.util.TreeSet<>(c.extras()) + " ("
            + extras.stream().map(k -> k + "=" + a.get(k)).toList() + ")");
      }
      if (ours[17] != theirs[17]) {
        problems.add(what + ": genl version " + theirs[17] + ", meshplane " + ours[17]);
      }
    }
    assertEquals(List.of(), problems);
  }

  private static boolean isNest(String key, Map<String, String> ours) {
    return ours.keySet().stream().anyMatch(k -> k.startsWith(key + "."));
  }

  @SafeVarargs
  private static Set<String> union(Set<String>... sets) {
    Set<String> all = new java.util.HashSet<>();
    for (Set<String> s : sets) {
      all.addAll(s);
    }
    return all;
  }

  /** The last message of IPVS command {@code cmd} that {@code ipvsadm args} sent, from strace's hex dumps. */
  private static byte[] captured(NetNamespace ns, List<String> args, int family, int cmd) throws Exception {
    Path trace = Files.createTempFile("ipvsadm-", ".strace");
    try {
      List<String> argv = new ArrayList<>(List.of("strace", "-f", "-qq", "-o", trace.toString(), "-e", "trace=sendmsg",
          "-e", "write=all", "ipvsadm"));
      argv.addAll(args);
      in(ns, argv.toArray(String[]::new)).orThrow();
      List<byte[]> messages = new ArrayList<>();
      java.io.ByteArrayOutputStream current = null;
      for (String line : Files.readAllLines(trace)) {
        int bar = line.indexOf(" | ");
        if (line.contains(" bytes in buffer ")) {
          current = new java.io.ByteArrayOutputStream();
          messages.add(null);
        } else if (bar >= 0 && current != null) {
          // " | 00000  20 00 00 00 10 00 05 00  e2 5c 02 6b 83 16 00 35   ascii |"
          String hex = line.substring(bar + 10, Math.min(line.length(), bar + 59));
          for (String h : hex.trim().split("\\s+")) {
            current.write(HexFormat.fromHexDigits(h));
          }
          messages.set(messages.size() - 1, current.toByteArray());
        }
      }
      byte[] found = null;
      for (byte[] m : messages) {
        if (m != null && m.length >= 20 && u16(m, 4) == family && (m[16] & 0xff) == cmd) {
          found = m;
        }
      }
      assertTrue(found != null, "ipvsadm " + args + " sent no IPVS command " + cmd + ":\n" + Files.readString(trace));
      return found;
    } finally {
      Files.deleteIfExists(trace);
    }
  }

  private static int u16(byte[] b, int at) {
    return ByteBuffer.wrap(b, at, 2).order(ByteOrder.nativeOrder()).getShort() & 0xffff;
  }

  /** Attribute path ("1.6" = IPVS_CMD_ATTR_SERVICE / IPVS_SVC_ATTR_SCHED_NAME) to value in hex; the command nests 1 and 2. */
  private static Map<String, String> attributes(byte[] msg) {
    Map<String, String> out = new TreeMap<>();
    walk(msg, 20, u32(msg, 0), "", out, true);
    return out;
  }

  private static void walk(byte[] b, int from, int to, String prefix, Map<String, String> out, boolean top) {
    int at = from;
    while (at + 4 <= to) {
      int len = u16(b, at);
      int type = u16(b, at + 2) & 0x3fff;
      String key = prefix + type;
      if (top && (type == 1 || type == 2)) { // IPVS_CMD_ATTR_SERVICE, IPVS_CMD_ATTR_DEST
        walk(b, at + 4, at + len, key + ".", out, false);
      } else {
        out.put(key, HexFormat.of().formatHex(b, at + 4, at + len));
      }
      at += (len + 3) & ~3;
    }
  }

  private static int u32(byte[] b, int at) {
    return ByteBuffer.wrap(b, at, 4).order(ByteOrder.nativeOrder()).getInt();
  }

  /** {@code argv} run inside {@code ns} ({@code ip netns exec}), bounded to 30 s. */
  private static Command.Result in(NetNamespace ns, String... argv) {
    return Command.inNamespace(ns.name(), 30, argv);
  }

  /** Brings lo up: IPVS refuses destinations while a namespace has no local routing table. */
  private static void loUp(NetNamespace ns) {
    in(ns, "ip", "link", "set", "lo", "up").orThrow();
  }
}
