package meshplane.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nft -j list ...} run inside a named namespace as the tests' witness of nf_tables state,
 * parsed to its {@code nftables} array (one object per table, chain, set, map, rule ...).
 */
public final class NftJson {
  private NftJson() {}

  /** {@code nft ARGS...} inside the namespace; its output, or an error naming the command. */
  public static String nft(String namespace, String... args) {
    List<String> argv = new ArrayList<>(List.of("nft"));
    argv.addAll(List.of(args));
    return Command.inNamespace(namespace, argv.toArray(String[]::new)).orThrow();
  }

  /** The {@code nftables} array of {@code nft -j list WHAT...}, e.g. {@code list(ns, "table", "ip", "mp")}. */
  public static JsonNode list(String namespace, String... what) {
    List<String> args = new ArrayList<>(List.of("-j", "list"));
    args.addAll(List.of(what));
    return parse(nft(namespace, args.toArray(String[]::new)));
  }

  /** The {@code nftables} array of {@code nft -j list ruleset}. */
  public static JsonNode ruleset(String namespace) {
    return list(namespace, "ruleset");
  }

  /** The {@code nftables} array of {@code nft -j} output. */
  public static JsonNode parse(String out) {
    JsonNode all = WitnessJson.parse("nft", out);
    JsonNode items = all.get("nftables");
    if (items == null || !items.isArray()) {
      throw new IllegalStateException("nft -j printed no nftables array: " + out);
    }
    return items;
  }

  /** {@code table/name} of every object of {@code kind} ("chain", "set", "map" ...), in order. */
  public static List<String> kinds(JsonNode nftables, String kind) {
    List<String> out = new ArrayList<>();
    nftables.forEach(n -> {
      if (n.has(kind)) {
        out.add(n.get(kind).get("table").asText() + "/" + n.get(kind).get("name").asText());
      }
    });
    return out;
  }
}
