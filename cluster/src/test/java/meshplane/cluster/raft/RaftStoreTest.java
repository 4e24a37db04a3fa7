package meshplane.cluster.raft;

import meshplane.cluster.api.TestPki;
import static meshplane.cluster.raft.StoreCluster.await;
import static meshplane.cluster.raft.StoreCluster.failure;
import static meshplane.cluster.raft.StoreCluster.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.LogNotFoundException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandCodec;
import meshplane.cluster.model.CommandRejectedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One store, a group of itself: proposals, rejections, a bad entry, snapshots and compaction. */
@Tag("unit")
class RaftStoreTest {
  private StoreCluster cluster;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new StoreCluster();
  }

  @AfterEach
  void tearDown() throws Exception {
    cluster.close();
  }

  private RaftStore founder() throws Exception {
    RaftStore s = cluster.start("n1", cluster.addresses("n1"));
    cluster.awaitLeader();
    return s;
  }

  @Test
  void proposalsAreAppliedAndSeenLocally() throws Exception {
    List<ClusterState> heard = new CopyOnWriteArrayList<>();
    List<Boolean> leading = new CopyOnWriteArrayList<>();
    RaftStore s = founder();
    s.addStateListener(heard::add);
    s.addLeaderListener(leading::add);
    assertEquals(List.of(ClusterState.EMPTY), heard, "a late listener hears the current state first");
    assertEquals(List.of(true), leading, "a late listener hears that this store leads");
    assertEquals(List.of(s.self()), s.peers());
    ClusterState afterInit = result(s.propose(Commands.init()));
    assertEquals("c1", afterInit.clusterId());
    ClusterState afterNode = result(s.propose(Commands.putNode("node2", "node2")));
    assertTrue(afterNode.index() > afterInit.index());
    assertEquals(afterNode, s.local());
    assertEquals(List.of("node1", "node2"), List.copyOf(s.local().nodes().keySet()));
    assertEquals(afterNode, result(s.readConsistent()));
    await("listeners heard both commands", () -> heard.size() == 3);
    assertEquals(List.of(ClusterState.EMPTY, afterInit, afterNode), heard);
    cluster.stop("n1");
    assertEquals(List.of(true, false), leading, "a leader shutting down stops leading");
  }

  @Test
  void aRejectedCommandFailsTheProposalAndChangesNothing() throws Exception {
    RaftStore s = founder();
    result(s.propose(Commands.init()));
    byte[] before = CommandCodec.encodeState(s.local());
    Throwable taken = failure(s.propose(Commands.putNode("node9", "node1")));
    assertInstanceOf(CommandRejectedException.class, taken);
    assertTrue(taken.getMessage().contains("hostname node1 is taken"), taken.getMessage());
    Throwable again = failure(s.propose(Commands.init()));
    assertInstanceOf(CommandRejectedException.class, again);
    assertArrayEquals(before, CommandCodec.encodeState(s.local()));
    // the log moved on; the state did not, and the next good command still applies
    ClusterState next = result(s.propose(Commands.putNode("node2", "node2")));
    assertEquals(2, next.nodes().size());
  }

  @Test
  void theReadBarrierChangesNothingButTheIndex() throws Exception {
    RaftStore s = founder();
    ClusterState before = result(s.propose(Commands.init()));
    ClusterState after = result(s.propose(RaftStore.BARRIER));
    assertTrue(after.index() > before.index());
    assertEquals(new ClusterState(before.clusterId(), after.index(), before.tokens(), before.pki(), before.settings(), before.nodes(),
        before.networks(), before.services(), before.tasks()), after);
  }

  @Test
  void aTakenPortFailsTheStartNamingIt() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String self = "127.0.0.1:" + taken.getLocalPort();
      IOException e = assertThrows(IOException.class, () -> RaftStore.start(
          RaftStoreConfig.founding(cluster.dataDir("taken"), self, TestPki.SHARED.manager("taken"))));
      assertTrue(e.getMessage().contains(self), e.getMessage());
    }
  }

  @Test
  void aBadAddressIsRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RaftStoreConfig.of(cluster.dataDir("x"), "127.0.0.1:1", List.of("node2"), TestPki.SHARED.manager("x")));
    assertTrue(e.getMessage().startsWith("initialPeers: 'node2'"), e.getMessage());
  }

  @Test
  void credentialsAreRequiredAndMustBeAManagers() {
    IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
        () -> RaftStoreConfig.founding(cluster.dataDir("x"), "127.0.0.1:1", (meshplane.pki.LiveCredentials) null));
    assertEquals("credentials: required (the Raft port is mutual TLS)", none.getMessage());
    IllegalArgumentException worker = assertThrows(IllegalArgumentException.class,
        () -> RaftStoreConfig.founding(cluster.dataDir("x"), "127.0.0.1:1", TestPki.SHARED.worker("w1")));
    assertEquals("credentials: the certificate of CN=w1, OU=swarm-worker, O=testcluster is a swarm-worker's; Raft"
        + " takes a swarm-manager one", worker.getMessage());
  }

  @Test
  void anUndecodableEntryStopsTheReplicaNamingTheIndex() throws Exception {
    RaftStore s = founder();
    result(s.propose(Commands.init()));
    byte[] before = CommandCodec.encodeState(s.local());
    byte[] bad = CommandCodec.encode(Commands.putNode("node2", "node2"));
    bad[0] = 7;
    long index = s.node().getLastLogIndex() + 1;
    CompletableFuture<Status> applied = new CompletableFuture<>();
    s.node().apply(new Task(ByteBuffer.wrap(bad), applied::complete));
    Status st = applied.get(15, TimeUnit.SECONDS);
    assertFalse(st.isOk(), "the bad entry's closure got " + st);
    await("the state machine reported its failure", () -> s.stateMachine().failure().isPresent());
    String why = s.stateMachine().failure().get().getStatus().getErrorMsg();
    assertTrue(why.contains("cannot decode Raft log entry " + index), why);
    assertTrue(why.contains("version 7"), why);
    assertArrayEquals(before, CommandCodec.encodeState(s.local()));
    Throwable next = failure(s.propose(Commands.putNode("node3", "node3")));
    assertInstanceOf(IllegalStateException.class, next);
    assertTrue(next.getMessage().contains("cannot decode Raft log entry " + index), next.getMessage());
    assertInstanceOf(IllegalStateException.class, failure(s.readConsistent()));
  }

  @Test
  void aRestartedStoreRestoresFromItsSnapshotAfterCompaction() throws Exception {
    RaftStore s = founder();
    result(s.propose(Commands.init()));
    result(s.propose(Commands.putNode("node2", "node2")));
    s.snapshotNow();
    result(s.propose(Commands.putNetwork("front", 4097, "10.0.0.0/24")));
    ClusterState atSecond = result(s.propose(Commands.putNode("node3", "node3")));
    s.snapshotNow();
    ClusterState last = result(s.propose(Commands.putNode("node4", "node4")));

    Path snapshots = cluster.dataDir("n1").resolve("snapshot");
    Path snap = Files.list(snapshots).filter(p -> p.getFileName().toString().startsWith("snapshot_"))
        .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no snapshot in " + snapshots));
    long snapIndex = Long.parseLong(snap.getFileName().toString().substring("snapshot_".length()));
    assertEquals(atSecond.index(), snapIndex, "the second snapshot's index");
    ClusterState inFile = CommandCodec.decodeState(Files.readAllBytes(snap.resolve(ClusterStateMachine.SNAPSHOT_FILE)));
    assertEquals(atSecond, inFile);
    // compaction: the log before the first snapshot is gone
    await("the log prefix was dropped", () -> {
      try {
        s.node().readCommittedUserLog(1);
        return false;
      } catch (LogNotFoundException gone) {
        return true;
      }
    });

    cluster.stop("n1");
    RaftStore again = cluster.restart("n1");
    cluster.awaitLeader();
    await("the restarted store caught up", () -> again.local().index() == last.index());
    assertEquals(snapIndex, again.stateMachine().loadedSnapshotIndex());
    assertArrayEquals(CommandCodec.encodeState(last), CommandCodec.encodeState(again.local()));
    try (Stream<Path> files = Files.list(cluster.dataDir("n1"))) {
      assertEquals(List.of("log", "raft_meta", "snapshot"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  void aTornSnapshotFailsTheStartNamingItsFileAndFreesThePort() throws Exception {
    RaftStore s = founder();
    result(s.propose(Commands.init()));
    result(s.propose(Commands.putNode("node2", "node2")));
    s.snapshotNow();
    Path snapshots = cluster.dataDir("n1").resolve("snapshot");
    Path file;
    try (Stream<Path> all = Files.list(snapshots)) {
      file = all.filter(p -> p.getFileName().toString().startsWith("snapshot_")).findFirst().orElseThrow()
          .resolve(ClusterStateMachine.SNAPSHOT_FILE);
    }
    try (Stream<Path> all = Files.list(file.getParent())) {
      assertTrue(all.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file left in the snapshot");
    }
    cluster.stop("n1");
    byte[] whole = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(whole, whole.length / 2)); // torn: the first half only

    IOException e = assertThrows(IOException.class, () -> cluster.restart("n1"));
    assertTrue(e.getMessage().contains("the cluster state snapshot " + file + " cannot be read"), e.getMessage());
    String[] hostPort = cluster.address("n1").split(":");
    await("the failed start released its Raft port (bolt closes it on its own thread)", () -> {
      try (ServerSocket again = new ServerSocket()) {
        again.bind(new java.net.InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])));
        return true;
      } catch (IOException inUse) {
        return false;
      }
    });
  }

  @Test
  void aCorruptLogFailsTheStartNamingTheRaftFolders() throws Exception {
    RaftStore s = founder();
    result(s.propose(Commands.init()));
    cluster.stop("n1");
    Path current = cluster.dataDir("n1").resolve("log").resolve("CURRENT"); // RocksDB's pointer to its manifest
    assertTrue(Files.exists(current), "the log is RocksDB's: " + current);
    Files.writeString(current, "garbage");

    IOException e = assertThrows(IOException.class, () -> cluster.restart("n1"));
    assertTrue(e.getMessage().contains("jraft could not read its log " + cluster.dataDir("n1").resolve("log")), e.getMessage());
  }
}
