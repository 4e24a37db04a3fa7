package meshplane.netlink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import meshplane.netlink.testing.Command;

/** Runs iproute2 with -j inside a namespace and parses its JSON: the tests' independent witness. */
public final class IpJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IpJson() {}

  /** {@code ip -n NS -j -d ARGS...} parsed; iproute2 prints nothing at all for an empty list. */
  public static JsonNode ip(NetNamespace ns, String... args) {
    List<String> argv = new ArrayList<>(List.of("ip", "-n", ns.name(), "-j", "-d"));
    argv.addAll(List.of(args));
    return parse(Command.run(argv.toArray(String[]::new)).orThrow());
  }

  /** {@code bridge -n NS -j ARGS...} parsed. */
  public static JsonNode bridge(NetNamespace ns, String... args) {
    List<String> argv = new ArrayList<>(List.of("bridge", "-n", ns.name(), "-j"));
    argv.addAll(List.of(args));
    return parse(Command.run(argv.toArray(String[]::new)).orThrow());
  }

  private static JsonNode parse(String out) {
    try {
      return JSON.readTree(out.isBlank() ? "[]" : out);
    } catch (IOException e) {
      throw new UncheckedIOException("iproute2 printed something that is not JSON: " + out, e);
    }
  }

  /** The entry of a link list whose ifname is {@code name}, or null. */
  public static JsonNode link(NetNamespace ns, String name) {
    for (JsonNode n : ip(ns, "link", "show")) {
      if (name.equals(n.path("ifname").asText())) {
        return n;
      }
    }
    return null;
  }
}
