package meshplane.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import meshplane.cluster.model.NodeRole;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@Tag("unit")
class NodeStateStoreTest {
  @TempDir
  Path dir;

  @Test
  void whatIsSavedIsLoadedAndReadsAsJson() throws Exception {
    NodeStateStore store = new NodeStateStore(dir.resolve("state"), dir.resolve("state/raft"));
    assertEquals(Optional.empty(), store.load(), "no node.json: in no swarm");
    LocalNodeState s = new LocalNodeState("n1", "c1", NodeRole.WORKER, List.of("198.18.0.1:2377"));
    store.save(s);
    assertEquals(Optional.of(s), store.load());
    JsonNode json = new ObjectMapper().readTree(dir.resolve("state/node.json").toFile());
    assertEquals("n1", json.path("nodeId").asText());
    assertEquals("WORKER", json.path("role").asText());
    assertEquals("198.18.0.1:2377", json.path("managers").path(0).asText());
    store.save(s.with(NodeRole.MANAGER, List.of("198.18.0.2:2377")));
    assertEquals(Optional.of(new LocalNodeState("n1", "c1", NodeRole.MANAGER, List.of("198.18.0.2:2377"))), store.load());
    try (var files = Files.list(dir.resolve("state"))) {
      assertEquals(List.of("node.json"), files.map(f -> f.getFileName().toString()).toList(),
          "written whole, then renamed: no temporary file left");
    }
  }

  @Test
  void anUnreadableFileIsAnErrorThatSaysHowToLeave() throws Exception {
    Files.createDirectories(dir.resolve("state"));
    Files.writeString(dir.resolve("state/node.json"), "{not json");
    NodeStateStore store = new NodeStateStore(dir.resolve("state"), dir.resolve("state/raft"));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, store::load);
    assertTrue(e.getMessage().contains(dir.resolve("state/node.json").toString()), e.getMessage());
    assertTrue(e.getMessage().contains("delete it to leave the swarm"), e.getMessage());
  }

  @Test
  void aDemotionDropsTheRaftDataAndLeavingDropsEverything() throws Exception {
    NodeStateStore store = new NodeStateStore(dir.resolve("state"), dir.resolve("state/raft"));
    store.save(new LocalNodeState("n1", "c1", NodeRole.MANAGER, List.of()));
    Files.createDirectories(dir.resolve("state/raft/log"));
    Files.writeString(dir.resolve("state/raft/log/1"), "entry");
    Files.createDirectories(dir.resolve("state/logs"));
    store.deleteRaft();
    assertFalse(Files.exists(dir.resolve("state/raft")));
    assertTrue(Files.exists(dir.resolve("state/node.json")));
    store.deleteAll();
    assertFalse(Files.exists(dir.resolve("state")));
    store.deleteAll(); // nothing left: no error
  }
}
