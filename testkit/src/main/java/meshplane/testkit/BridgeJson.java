package meshplane.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * iproute2's {@code bridge -j} as the tests' witness of forwarding databases and bridge ports, in
 * a named namespace ({@code bridge -n NAME}).
 */
public final class BridgeJson {
  private BridgeJson() {}

  /** {@code bridge -n NAMESPACE -j ARGS...} parsed, e.g. {@code bridge(ns, "link", "show")}. */
  public static JsonNode bridge(String namespace, String... args) {
    List<String> argv = new ArrayList<>(List.of("bridge", "-n", namespace, "-j"));
    argv.addAll(List.of(args));
    return parse(Command.run(argv.toArray(String[]::new)).orThrow());
  }

  /** {@code bridge -n NAMESPACE -j fdb show FILTER...}, e.g. {@code fdb(ns, "dev", "vx0")}. */
  public static JsonNode fdb(String namespace, String... filter) {
    List<String> args = new ArrayList<>(List.of("fdb", "show"));
    args.addAll(List.of(filter));
    return bridge(namespace, args.toArray(String[]::new));
  }

  /** Output of {@code bridge -j} parsed; an empty output is the empty list. */
  public static JsonNode parse(String out) {
    return WitnessJson.parse("bridge", out);
  }
}
