package meshplane.mesh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.lab.HostCommand;

/**
 * {@code ipvsadm -Ln [--stats]} run inside a sandbox namespace, as the independent witness of the
 * mesh's IPVS load balancer: service line (single-spaced) to its destination rows, split in words.
 */
final class IpvsadmWitness {
  private IpvsadmWitness() {}

  static Map<String, List<List<String>>> list(String namespace, String... extra) {
    List<String> argv = new ArrayList<>(List.of("ipvsadm", "-Ln"));
    argv.addAll(List.of(extra));
    String out = HostCommand.run(namespace, 20, argv).orThrow();
    Map<String, List<List<String>>> services = new LinkedHashMap<>();
    List<List<String>> current = null;
    for (String line : out.split("\n")) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("IP Virtual Server") || t.startsWith("Prot ") || t.startsWith("-> RemoteAddress")) {
        continue;
      }
      List<String> words = List.of(t.split("\\s+"));
      if (words.get(0).equals("->") && current != null) {
        current.add(words);
      } else {
        current = new ArrayList<>();
        services.put(String.join(" ", words), current);
      }
    }
    return services;
  }

  /** Destination address:port to its row, under the fwmark service {@code mark} (decimal, as ipvsadm prints it). */
  static Map<String, List<String>> fwmarkDestinations(String namespace, int mark, String... extra) {
    Map<String, List<List<String>>> all = list(namespace, extra);
    Map<String, List<String>> out = new LinkedHashMap<>();
    all.entrySet().stream().filter(e -> e.getKey().startsWith("FWM " + mark + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("ipvsadm in " + namespace + " lists no FWM " + mark + ": " + all.keySet()))
        .getValue().forEach(row -> out.put(row.get(1), row));
    return out;
  }

  /** ipvsadm's Conns (--stats) of each destination of fwmark service {@code mark}. */
  static Map<String, Long> connections(String namespace, int mark) {
    Map<String, Long> out = new LinkedHashMap<>();
    fwmarkDestinations(namespace, mark, "--stats").forEach((dest, row) -> out.put(dest, Long.parseLong(row.get(2))));
    return out;
  }
}
