package meshplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import meshplane.lab.HostCommand;

/**
 * The hand-built reference the issue quotes: a single-hop nf_tables load balancer in node1's
 * namespace, as a person would write it with nft: new connections to {@code port} are DNATed
 * round robin ({@code numgen inc}) to the backends on the underlay and SNATed to node1, so
 * replies come back through it. No overlay, no extra namespace: what the mesh's data path adds
 * on top of the NAT itself is the difference between this and the mesh.
 */
final class NftReference {
  static final String TABLE = "mp_lbref";

  private NftReference() {}

  static String ruleset(String self, int port, List<String> backendIps, int backendPort) {
    StringBuilder map = new StringBuilder();
    for (int i = 0; i < backendIps.size(); i++) {
      map.append(i == 0 ? "" : ", ").append(i).append(" : ").append(backendIps.get(i));
    }
    return """
        table ip %1$s {
          chain prerouting {
            type nat hook prerouting priority dstnat; policy accept;
            tcp dport %2$d dnat to numgen inc mod %3$d map { %4$s } : %5$d
          }
          chain postrouting {
            type nat hook postrouting priority srcnat; policy accept;
            ct status dnat ip daddr { %6$s } tcp dport %5$d snat to %7$s
          }
        }
        """.formatted(TABLE, port, backendIps.size(), map, backendPort, String.join(", ", backendIps), self);
  }

  /** Loads the table into {@code namespace} with {@code nft -f} (the file is kept under {@code dir} to read). */
  static void install(String namespace, Path dir, String self, int port, List<String> backendIps, int backendPort) {
    Path f = dir.resolve("lbref.nft");
    try {
      Files.writeString(f, ruleset(self, port, backendIps, backendPort));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + f, e);
    }
    HostCommand.run(namespace, 10, List.of("nft", "-f", f.toString())).orThrow();
  }
}
