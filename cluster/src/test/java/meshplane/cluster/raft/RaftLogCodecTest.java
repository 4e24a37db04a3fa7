package meshplane.cluster.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandCodec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The Raft log's entries and snapshots, through {@link CommandCodec}. */
@Tag("unit")
class RaftLogCodecTest {

  @Test
  void everyCommandVariantSurvivesTheLog() {
    Set<Class<?>> seen = new HashSet<>();
    for (Command c : Commands.everyVariant()) {
      byte[] entry = CommandCodec.encode(c);
      assertEquals(1, entry[0], "version byte of " + c);
      String json = new String(entry, 1, entry.length - 1, StandardCharsets.UTF_8);
      assertTrue(json.startsWith("{\"op\":\""), json);
      Command back = CommandCodec.decode(entry);
      assertEquals(c, back);
      assertArrayEquals(entry, CommandCodec.encode(back));
      seen.add(c.getClass());
    }
    assertEquals(Set.of(Command.class.getPermittedSubclasses()), seen, "a variant is missing from the round trip");
  }

  @Test
  void opNamesAreTheDocumentedOnes() {
    List<String> ops = Commands.everyVariant().stream().map(c -> {
      String json = new String(CommandCodec.encode(c), StandardCharsets.UTF_8);
      int at = json.indexOf("\"op\":\"") + 6;
      return json.substring(at, json.indexOf('"', at));
    }).toList();
    assertEquals(List.of("init", "put-node", "remove-node", "put-network", "remove-network", "put-service",
        "remove-service", "put-tasks", "report-tasks"), ops);
  }

  @Test
  void aStateSnapshotSurvives() {
    ClusterState s = ClusterState.EMPTY;
    long index = 1;
    for (Command c : List.of(Commands.init(), Commands.putNode("node2", "node2"),
        Commands.putNetwork("front", 4097, "10.0.0.0/24"), new Command.PutService(Commands.service("svc1", "web", 256)),
        new Command.PutTasks(List.of(Commands.task("task1", "svc1")), List.of()))) {
      s = s.apply(c, index++);
    }
    byte[] snap = CommandCodec.encodeState(s);
    ClusterState back = CommandCodec.decodeState(snap);
    assertEquals(s, back);
    assertArrayEquals(snap, CommandCodec.encodeState(back));
    assertEquals(5, back.index());
    assertEquals(2, back.nodes().size());
  }

  @Test
  void anEntryOfAnotherVersionIsRefusedNamingIt() {
    byte[] entry = CommandCodec.encode(Commands.init());
    entry[0] = 2;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(entry));
    assertTrue(e.getMessage().contains("version 2"), e.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(new byte[0]));
    assertTrue(empty.getMessage().contains("version none"), empty.getMessage());
    IllegalArgumentException unknownOp = assertThrows(IllegalArgumentException.class,
        () -> CommandCodec.decode("\u0001{\"op\":\"frobnicate\"}".getBytes(StandardCharsets.UTF_8)));
    assertTrue(unknownOp.getMessage().contains("frobnicate"), unknownOp.getMessage());
  }
}
