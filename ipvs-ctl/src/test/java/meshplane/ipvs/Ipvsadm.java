package meshplane.ipvs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.testing.Command;

/**
 * The vm tier's independent witness: {@code ipvsadm} run inside a namespace, its listings parsed
 * into rows of words. Nothing here goes through meshplane's IPVS code.
 */
final class Ipvsadm {
  private Ipvsadm() {}

  static Command.Result in(NetNamespace ns, String... argv) {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    all.addAll(List.of(argv));
    return Command.run(30, all.toArray(String[]::new));
  }

  /** Brings lo up: IPVS refuses destinations while a namespace has no local routing table. */
  static void loUp(NetNamespace ns) {
    in(ns, "ip", "link", "set", "lo", "up").orThrow();
  }

  /**
   * {@code ipvsadm -Ln [extra]} as service line -> its destination lines, each split into words:
   * {@code "TCP 10.0.0.2:80 rr" -> [["->", "10.0.1.5:8080", "Masq", "1", "0", "0"], ...]}.
   * The header lines are dropped; a service line is kept with single spaces.
   */
  static Map<String, List<List<String>>> list(NetNamespace ns, String... extra) {
    List<String> argv = new ArrayList<>(List.of("ipvsadm", "-Ln"));
    argv.addAll(List.of(extra));
    String out = in(ns, argv.toArray(String[]::new)).orThrow();
    Map<String, List<List<String>>> services = new LinkedHashMap<>();
    List<List<String>> current = null;
    for (String line : out.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("IP Virtual Server") || t.startsWith("Prot ") || t.startsWith("-> RemoteAddress")) {
        continue;
      }
      List<String> words = List.of(t.split("\\s+"));
      if (words.get(0).equals("->")) {
        if (current == null) {
          throw new IllegalStateException("ipvsadm printed a destination before any service:\n" + out);
        }
        current.add(words);
      } else {
        current = new ArrayList<>();
        services.put(String.join(" ", words), current);
      }
    }
    return services;
  }

  /** The destination row for {@code hostPort} under the service line starting with {@code service}. */
  static List<String> destination(Map<String, List<List<String>>> listing, String service, String hostPort) {
    return rows(listing, service).stream().filter(r -> r.get(1).equals(hostPort)).findFirst()
        .orElseThrow(() -> new AssertionError("no destination " + hostPort + " under " + service + " in " + listing));
  }

  static List<List<String>> rows(Map<String, List<List<String>>> listing, String service) {
    return listing.entrySet().stream().filter(e -> e.getKey().equals(service) || e.getKey().startsWith(service + " "))
        .map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new AssertionError("ipvsadm lists no service " + service + ": " + listing.keySet()));
  }
}
