package meshplane.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ipvsadm -Ln [extra]} run inside a named namespace as the independent witness of IPVS
 * state, its listing parsed into rows of words: service line (single-spaced) to its destination
 * rows, {@code "TCP 10.0.0.2:80 rr" -> [["->", "10.0.1.5:8080", "Masq", "1", "0", "0"], ...]}.
 * Nothing here goes through meshplane's IPVS code.
 */
public final class Ipvsadm {
  private Ipvsadm() {}

  /** {@code ipvsadm -Ln EXTRA...} inside the namespace, parsed by {@link #parse}. */
  public static Map<String, List<List<String>>> list(String namespace, String... extra) {
    List<String> argv = new ArrayList<>(List.of("ipvsadm", "-Ln"));
    argv.addAll(List.of(extra));
    return parse(Command.inNamespace(namespace, 30, argv.toArray(String[]::new)).orThrow());
  }

  /**
   * An {@code ipvsadm -Ln} listing as service line -> its destination lines, each split into
   * words. The header lines are dropped; a service line is kept with single spaces.
   */
  public static Map<String, List<List<String>>> parse(String out) {
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

  /** The destination rows of the service whose line is {@code service} or starts with {@code service + " "}. */
  public static List<List<String>> rows(Map<String, List<List<String>>> listing, String service) {
    return listing.entrySet().stream().filter(e -> e.getKey().equals(service) || e.getKey().startsWith(service + " "))
        .map(Map.Entry::getValue).findFirst()
        .orElseThrow(() -> new AssertionError("ipvsadm lists no service " + service + ": " + listing.keySet()));
  }

  /** The destination row for {@code hostPort} under the service line starting with {@code service}. */
  public static List<String> destination(Map<String, List<List<String>>> listing, String service, String hostPort) {
    return rows(listing, service).stream().filter(r -> r.get(1).equals(hostPort)).findFirst()
        .orElseThrow(() -> new AssertionError("no destination " + hostPort + " under " + service + " in " + listing));
  }

  /** Destination address:port to its row, under the fwmark service {@code mark} (decimal, as ipvsadm prints it). */
  public static Map<String, List<String>> fwmarkDestinations(String namespace, int mark, String... extra) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    try {
      rows(list(namespace, extra), "FWM " + mark).forEach(row -> out.put(row.get(1), row));
    } catch (AssertionError e) {
      throw new AssertionError("in " + namespace + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** ipvsadm's Conns ({@code --stats}) of each destination of fwmark service {@code mark}. */
  public static Map<String, Long> connections(String namespace, int mark) {
    Map<String, Long> out = new LinkedHashMap<>();
    fwmarkDestinations(namespace, mark, "--stats").forEach((dest, row) -> out.put(dest, Long.parseLong(row.get(2))));
    return out;
  }
}
