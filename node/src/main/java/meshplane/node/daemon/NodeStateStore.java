package meshplane.node.daemon;

import meshplane.node.exec.Folders;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import meshplane.cluster.storage.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's state folder: {@code node.json} (the {@link LocalNodeState}, written whole and
 * durably: {@link DurableFile}), {@code raft/} (the store while the node is a manager), and the agent's
 * {@code logs/} and {@code tasks/}. Leaving a swarm removes it all; a demotion removes the Raft
 * data.
 */
final class NodeStateStore {
  private static final Logger LOG = LoggerFactory.getLogger(NodeStateStore.class);
  static final String FILE = "node.json";
  private static final ObjectMapper JSON = meshplane.json.JsonMappers.strict();

  private final Path stateDir;
  private final Path raftDir;

  NodeStateStore(Path stateDir, Path raftDir) {
    this.stateDir = stateDir;
    this.raftDir = raftDir;
  }

  /** The swarm this node was in when it last ran; empty when it is in none. */
  Optional<LocalNodeState> load() {
    Path f = stateDir.resolve(FILE);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(f.toFile(), LocalNodeState.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f + " (delete it to leave the swarm)", e);
    }
  }

  void save(LocalNodeState s) {
    Path f = stateDir.resolve(FILE);
    try {
      Files.createDirectories(stateDir);
      DurableFile.write(f, JSON.writeValueAsBytes(s));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + f, e);
    }
  }

  /** Removes the Raft data (a demoted node, a failed init, a manager about to join a group afresh). */
  void deleteRaft() {
    deleteQuietly(raftDir);
  }

  /** Removes the whole state folder (the node left its swarm). */
  void deleteAll() {
    deleteQuietly(stateDir);
  }

  private static void deleteQuietly(Path p) {
    try {
      Folders.deleteTree(p);
    } catch (UncheckedIOException e) {
      LOG.warn("cannot remove {}: {}", p, e.getMessage());
    }
  }
}
