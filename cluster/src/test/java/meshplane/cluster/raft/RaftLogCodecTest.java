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
        "remove-service", "put-tasks", "report-tasks", "put-tokens", "put-settings", "put-pki"), ops);
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

  @Test
  void anEntryWithAFieldThisBuildDoesNotKnowIsRefusedNamingTheEntryAndTheField() {
    String json = new String(CommandCodec.encode(Commands.putNode("node2", "node2")), StandardCharsets.UTF_8);
    byte[] top = json.replace("{\"op\":\"put-node\",", "{\"op\":\"put-node\",\"ttl\":5,").getBytes(StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(top));
    assertTrue(e.getMessage().startsWith("undecodable log entry put-node: unknown field \"ttl\" at ttl (PutNode has no such field)"),
        e.getMessage());
    byte[] nested = json.replace("\"hostname\":\"node2\"", "\"hostname\":\"node2\",\"rack\":\"r1\"").getBytes(StandardCharsets.UTF_8);
    e = assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(nested));
    assertTrue(e.getMessage().startsWith("undecodable log entry put-node: unknown field \"rack\" at node.rack (Node has no such field)"),
        e.getMessage());
    String tasks = new String(CommandCodec.encode(Commands.everyVariant().get(7)), StandardCharsets.UTF_8);
    byte[] inList = tasks.replace("\"attempt\":0", "\"attempt\":0,\"gpu\":true").getBytes(StandardCharsets.UTF_8);
    e = assertThrows(IllegalArgumentException.class, () -> CommandCodec.decode(inList));
    assertTrue(e.getMessage().startsWith("undecodable log entry put-tasks: unknown field \"gpu\" at put[0].gpu (Task has no such field)"),
        e.getMessage());
  }

  @Test
  void aNodesDerivedManagerFlagIsWrittenAndReadBack() {
    byte[] entry = CommandCodec.encode(Commands.putNode("node2", "node2"));
    assertTrue(new String(entry, StandardCharsets.UTF_8).contains("\"manager\":true"), "kept in the format for readers");
    assertEquals(Commands.putNode("node2", "node2"), CommandCodec.decode(entry));
  }

  @Test
  void aSnapshotWithAFieldThisBuildDoesNotKnowIsRefusedNamingIt() {
    ClusterState s = ClusterState.EMPTY.apply(Commands.init(), 1);
    String json = new String(CommandCodec.encodeState(s), StandardCharsets.UTF_8);
    byte[] newer = json.replace("\"index\":1,", "\"index\":1,\"secrets\":{},").getBytes(StandardCharsets.UTF_8);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CommandCodec.decodeState(newer));
    assertTrue(e.getMessage().contains("unknown field \"secrets\" at secrets (ClusterState has no such field)"), e.getMessage());
  }

  @Test
  void aSnapshotIsThePlainMapsSortedById() {
    ClusterState s = ClusterState.EMPTY.apply(Commands.init(), 1);
    for (String id : List.of("node9", "node3", "node5")) {
      s = s.apply(Commands.putNode(id, "h-" + id), s.index() + 1);
    }
    String json = new String(CommandCodec.encodeState(s), StandardCharsets.UTF_8);
    int n1 = json.indexOf("\"node1\":{");
    int n3 = json.indexOf("\"node3\":{");
    int n5 = json.indexOf("\"node5\":{");
    int n9 = json.indexOf("\"node9\":{");
    assertTrue(n1 > 0 && n1 < n3 && n3 < n5 && n5 < n9, json);
    assertTrue(json.startsWith("{\"clusterId\":\"c1\",\"index\":4,\"tokens\":{"), json);
  }

  /**
   * Written by the build before the persistent maps and the strict codec (commit 6309093, from
   * the states and commands of {@link Commands}): they read back under the strict codec, to the
   * same values, and re-encode to the same bytes.
   */
  @Test
  void snapshotsAndEntriesOfTheEarlierBuildReadBackAndReEncodeTheSame() throws Exception {
    byte[] snap = resource("snapshot-before-persistent-maps.json").strip().getBytes(StandardCharsets.UTF_8);
    ClusterState s = ClusterState.EMPTY;
    long index = 1;
    for (Command c : List.of(Commands.init(), Commands.putNode("node2", "node2"),
        Commands.putNetwork("front", 4097, "10.0.0.0/24"), new Command.PutService(Commands.service("svc1", "web", 256)),
        new Command.PutTasks(List.of(Commands.task("task1", "svc1")), List.of()))) {
      s = s.apply(c, index++);
    }
    assertEquals(s, CommandCodec.decodeState(snap));
    assertArrayEquals(snap, CommandCodec.encodeState(CommandCodec.decodeState(snap)));
    List<String> lines = resource("entries-before-persistent-maps.jsonl").strip().lines().toList();
    // the variants that build had (put-tokens, put-settings and put-pki came later)
    List<Command> earlier = Commands.everyVariant().stream()
        .filter(c -> !(c instanceof Command.PutTokens) && !(c instanceof Command.PutSettings) && !(c instanceof Command.PutPki))
        .toList();
    assertEquals(earlier.size(), lines.size());
    for (int i = 0; i < lines.size(); i++) {
      byte[] json = lines.get(i).getBytes(StandardCharsets.UTF_8);
      byte[] entry = new byte[json.length + 1];
      entry[0] = CommandCodec.VERSION;
      System.arraycopy(json, 0, entry, 1, json.length);
      assertEquals(earlier.get(i), CommandCodec.decode(entry));
      assertArrayEquals(entry, CommandCodec.encode(CommandCodec.decode(entry)), lines.get(i));
    }
  }

  private static String resource(String name) throws java.io.IOException {
    try (var in = RaftLogCodecTest.class.getResourceAsStream("/codec/" + name)) {
      assertTrue(in != null, "test resource codec/" + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
