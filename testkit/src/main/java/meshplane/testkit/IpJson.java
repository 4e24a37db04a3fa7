package meshplane.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * iproute2's {@code ip -j -d} as the tests' independent witness of links, addresses, routes and
 * neighbours: run against a named namespace ({@code ip -n NAME}) and parsed, nothing of it going
 * through meshplane's netlink code.
 */
public final class IpJson {
  private IpJson() {}

  /** {@code ip -n NAMESPACE -j -d ARGS...} parsed, e.g. {@code ip(ns, "route", "show", "table", "local")}. */
  public static JsonNode ip(String namespace, String... args) {
    List<String> argv = new ArrayList<>(List.of("ip", "-n", namespace, "-j", "-d"));
    argv.addAll(List.of(args));
    return parse(Command.run(argv.toArray(String[]::new)).orThrow());
  }

  /**
   * {@code ip -j -d ARGS...} in the namespace the test runs in (the machine's own, for a test
   * that only reads it, such as checking that it gained no link).
   */
  public static JsonNode ipInOwnNamespace(String... args) {
    List<String> argv = new ArrayList<>(List.of("ip", "-j", "-d"));
    argv.addAll(List.of(args));
    return parse(Command.run(argv.toArray(String[]::new)).orThrow());
  }

  /** Output of {@code ip -j} parsed; an empty output is the empty list. */
  public static JsonNode parse(String out) {
    return WitnessJson.parse("ip", out);
  }

  /** The entry of {@code ip -j -d link show} whose ifname is {@code ifname}, or null. */
  public static JsonNode link(String namespace, String ifname) {
    return linkNamed(ip(namespace, "link", "show"), ifname);
  }

  /** The entry of a link list whose ifname is {@code ifname}, or null. */
  public static JsonNode linkNamed(JsonNode links, String ifname) {
    for (JsonNode n : links) {
      if (ifname.equals(n.path("ifname").asText())) {
        return n;
      }
    }
    return null;
  }

  /** Every {@code local} address of {@code ip -j addr show} in the namespace, in order. */
  public static Set<String> localAddresses(String namespace) {
    return locals(ip(namespace, "addr", "show"));
  }

  /** Every {@code local} address of an {@code ip -j addr show} list, in order. */
  public static Set<String> locals(JsonNode addrList) {
    Set<String> out = new LinkedHashSet<>();
    for (JsonNode link : addrList) {
      for (JsonNode a : link.path("addr_info")) {
        out.add(a.path("local").asText());
      }
    }
    return out;
  }
}
