package meshplane.cluster.assignment;

import java.util.List;

/**
 * What a node's assignment says of the cluster's roots, by their digests: the root that issues
 * certificates now ({@code issuing}: a node whose certificate is another root's renews), and the
 * roots to trust ({@code trusted}: a node trusting others fetches these, {@code GET /v1/swarm/ca}).
 * Both change only with a root rotation.
 */
public record TrustState(String issuing, List<String> trusted) {
  public TrustState {
    trusted = trusted == null ? List.of() : List.copyOf(trusted);
  }
}
