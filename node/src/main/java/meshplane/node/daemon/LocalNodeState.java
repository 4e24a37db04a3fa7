package meshplane.node.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import meshplane.cluster.model.NodeRole;

/**
 * What a node remembers of its swarm across restarts ({@code <state dir>/node.json}): its id,
 * the cluster's, its role when it last looked, and the managers' API addresses to call first.
 */
public record LocalNodeState(String nodeId, String clusterId, NodeRole role, List<String> managers) {
  private static final ObjectMapper JSON = meshplane.json.JsonMappers.strict();

  public LocalNodeState {
    managers = managers == null ? List.of() : List.copyOf(managers);
  }

  public static Optional<LocalNodeState> load(Path stateDir) {
    Path f = stateDir.resolve("node.json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(f.toFile(), LocalNodeState.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + " (delete it to leave the swarm)", e);
    }
  }

  public void save(Path stateDir) {
    try {
      Files.createDirectories(stateDir);
      Path tmp = stateDir.resolve("node.json.tmp");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, stateDir.resolve("node.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + stateDir.resolve("node.json"), e);
    }
  }

  public LocalNodeState withRole(NodeRole r) {
    return new LocalNodeState(nodeId, clusterId, r, managers);
  }

  public LocalNodeState withManagers(List<String> m) {
    return new LocalNodeState(nodeId, clusterId, role, m);
  }
}
