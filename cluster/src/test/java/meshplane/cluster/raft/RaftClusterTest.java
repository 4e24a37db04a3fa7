package meshplane.cluster.raft;

import static meshplane.cluster.raft.StoreCluster.await;
import static meshplane.cluster.raft.StoreCluster.failure;
import static meshplane.cluster.raft.StoreCluster.result;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Three (and four) stores on loopback: replication, redirects, failover, restarts, join and leave. */
@Tag("unit")
class RaftClusterTest {
  private StoreCluster cluster;
  private List<String> peers;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new StoreCluster();
    peers = cluster.addresses("n1", "n2", "n3");
  }

  @AfterEach
  void tearDown() throws Exception {
    cluster.close();
  }

  private RaftStore startThree() throws Exception {
    for (String n : List.of("n1", "n2", "n3")) {
      cluster.start(n, peers);
    }
    return cluster.awaitLeader();
  }

  /** Proposes the swarm's first commands on the leader; the state after the last. */
  private static ClusterState populate(RaftStore leader) throws Exception {
    result(leader.propose(Commands.init()));
    result(leader.propose(Commands.putNode("node2", "node2")));
    result(leader.propose(Commands.putNetwork("front", 4097, "10.0.0.0/24")));
    return result(leader.propose(new Command.PutService(Commands.service("svc1", "web", 256))));
  }

  /** Waits until every running store has applied up to {@code s} and holds the same bytes. */
  private void awaitAllAt(ClusterState s) {
    byte[] want = CommandCodec.encodeState(s);
    for (RaftStore r : cluster.running()) {
      await(r.self() + " applied up to index " + s.index(), () -> r.local().index() >= s.index());
      assertArrayEquals(want, CommandCodec.encodeState(r.local()), r.self() + " holds another state");
    }
  }

  private RaftStore aFollower() {
    return cluster.running().stream().filter(s -> !s.isLeader()).findFirst().orElseThrow();
  }

  @Test
  void theLeadersProposalsAreAppliedIdenticallyEverywhere() throws Exception {
    List<Boolean> leaderEvents = new CopyOnWriteArrayList<>();
    RaftStore leader = startThree();
    ClusterState last = populate(leader);
    awaitAllAt(last);
    for (RaftStore s : cluster.running()) {
      await(s.self() + " knows the configuration", () -> s.peers().equals(peers.stream().sorted().toList()));
    }

    RaftStore follower = aFollower();
    follower.addLeaderListener(leaderEvents::add);
    Throwable refused = failure(follower.propose(Commands.putNode("node3", "node3")));
    NotLeaderException nle = assertInstanceOf(NotLeaderException.class, refused);
    assertEquals(leader.self(), nle.leader().orElse(null), nle.getMessage());
    assertEquals(last.index(), follower.local().index(), "the follower's refusal changed nothing");

    ClusterState withNode3 = result(leader.propose(Commands.putNode("node3", "node3")));
    ClusterState readOnFollower = result(follower.readConsistent());
    assertTrue(readOnFollower.index() >= withNode3.index(), "a consistent read on a follower saw index "
        + readOnFollower.index() + " < " + withNode3.index());
    assertTrue(readOnFollower.nodes().containsKey("node3"));
    assertEquals(withNode3, result(leader.readConsistent()));
    assertEquals(List.of(false), leaderEvents, "the follower's leader events");
  }

  @Test
  void aNewLeaderTakesOverAndTheOldOneCatchesUpWhenRestarted() throws Exception {
    RaftStore leader = startThree();
    ClusterState committed = populate(leader);
    awaitAllAt(committed);
    String oldName = nameOf(leader);
    Map<String, List<Boolean>> leading = new ConcurrentHashMap<>();
    for (RaftStore s : cluster.running()) {
      List<Boolean> events = new CopyOnWriteArrayList<>();
      leading.put(s.self(), events);
      s.addLeaderListener(events::add);
    }
    cluster.stop(oldName);
    assertEquals(List.of(true, false), leading.get(leader.self()));

    RaftStore next = cluster.awaitLeader();
    assertNotEquals(leader.self(), next.self());
    await("the new leader's listener heard it lead", () -> leading.get(next.self()).equals(List.of(false, true)));
    byte[] before = CommandCodec.encodeState(committed);
    // the new leader may have applied nothing more than what was committed (its first entry is a configuration)
    assertArrayEquals(before, CommandCodec.encodeState(next.local()), "a committed command was lost");
    ClusterState after = result(next.propose(Commands.putNode("node3", "node3")));
    awaitAllAt(after);

    RaftStore back = cluster.restart(oldName);
    await("the old leader follows " + next.self(), () -> back.leader().orElse("").equals(next.self()));
    awaitAllAt(after);
    assertFalse(back.isLeader());
  }

  @Test
  void theStateSurvivesAFullRestart() throws Exception {
    RaftStore leader = startThree();
    ClusterState committed = populate(leader);
    awaitAllAt(committed);
    for (String n : List.of("n1", "n2", "n3")) {
      cluster.stop(n);
    }
    for (String n : List.of("n1", "n2", "n3")) {
      cluster.restart(n);
    }
    RaftStore again = cluster.awaitLeader();
    awaitAllAt(committed);
    ClusterState after = result(again.propose(Commands.putNode("node3", "node3")));
    assertEquals(Set.of("node1", "node2", "node3"), after.nodes().keySet());
    awaitAllAt(after);
  }

  @Test
  void aFourthStoreJoinsBySnapshotAndIsRemoved() throws Exception {
    RaftStore leader = startThree();
    populate(leader);
    leader.snapshotNow();
    result(leader.propose(Commands.putNode("node3", "node3")));
    leader.snapshotNow(); // the log before the first snapshot goes: a newcomer must install a snapshot
    ClusterState before = result(leader.propose(Commands.putNode("node4", "node4")));

    RaftStore fourth = cluster.start("n4", List.of());
    assertEquals(List.of(), fourth.peers());
    assertTrue(fourth.leader().isEmpty(), "a store with no configuration found a leader");
    assertInstanceOf(NotLeaderException.class, failure(fourth.readConsistent()));
    assertInstanceOf(NotLeaderException.class, failure(fourth.propose(Commands.putNode("node9", "node9"))));
    result(leader.addPeer(fourth.self()));
    List<String> four = cluster.addresses("n1", "n2", "n3", "n4").stream().sorted().toList();
    assertEquals(four, leader.peers());
    awaitAllAt(before);
    assertTrue(fourth.stateMachine().loadedSnapshotIndex() > 0, "the newcomer did not install a snapshot");
    await("the newcomer follows " + leader.self(), () -> fourth.leader().orElse("").equals(leader.self()));
    ClusterState after = result(leader.propose(Commands.putNode("node5", "node5")));
    awaitAllAt(after);
    await("the newcomer knows the configuration", () -> fourth.peers().equals(four));
    result(leader.addPeer(fourth.self())); // a member already: nothing to do

    result(leader.removePeer(fourth.self()));
    assertEquals(peers.stream().sorted().toList(), leader.peers());
    cluster.stop("n4");
    for (RaftStore s : cluster.running()) {
      await(s.self() + " sees n4 gone", () -> !s.peers().contains(cluster.address("n4")));
    }
    awaitAllAt(result(leader.propose(Commands.putNode("node6", "node6"))));
  }

  @Test
  void managersJoinAFoundingManagerAndLeave() throws Exception {
    RaftStore first = cluster.start("n1", List.of(cluster.address("n1")));
    cluster.awaitLeader();
    ClusterState s = populate(first);
    for (String n : List.of("n2", "n3")) {
      RaftStore joiner = cluster.start(n, List.of());
      result(first.addPeer(joiner.self()));
    }
    awaitAllAt(s);
    assertEquals(peers.stream().sorted().toList(), first.peers());
    RaftStore follower = cluster.get("n3");
    assertEquals(s, result(follower.readConsistent()));

    // demote / leave: the leader removes n3, which then closes its store
    result(first.removePeer(cluster.address("n3")));
    cluster.stop("n3");
    ClusterState after = result(first.propose(Commands.putNode("node3", "node3")));
    awaitAllAt(after);
    assertEquals(Arrays.asList(cluster.address("n1"), cluster.address("n2")).stream().sorted().toList(), first.peers());
  }

  /**
   * Quorum lost (two of three stopped for good): the survivor cannot write; reset to itself alone
   * it leads a one-peer group with every committed entry, writes again, keeps that configuration
   * over a restart, and two new stores join it.
   */
  @Test
  void aSurvivorResetToItselfAloneLeadsWithTheStateItHadAndNewStoresJoinIt() throws Exception {
    RaftStore leader = startThree();
    ClusterState committed = populate(leader);
    awaitAllAt(committed);
    RaftStore survivor = aFollower();
    String name = nameOf(survivor);
    for (String n : List.of("n1", "n2", "n3")) {
      if (!n.equals(name)) {
        cluster.stop(n);
      }
    }
    await(survivor.self() + " knows no leader", () -> survivor.leader().isEmpty());
    Throwable noQuorum = failure(survivor.readConsistent());
    assertInstanceOf(NotLeaderException.class, noQuorum, "a read without a quorum: " + noQuorum);

    survivor.resetPeersToSelf();
    await(survivor.self() + " leads alone", survivor::isLeader);
    assertEquals(List.of(survivor.self()), survivor.peers());
    assertArrayEquals(CommandCodec.encodeState(committed), CommandCodec.encodeState(survivor.local()), "a committed command was lost");
    ClusterState written = result(survivor.propose(Commands.putNode("node3", "node3")));
    assertTrue(written.nodes().containsKey("node3"));
    survivor.resetPeersToSelf(); // itself alone already: nothing to do
    assertTrue(survivor.isLeader());

    // the one-peer configuration went through the log: a restart keeps it and elects itself again
    cluster.stop(name);
    RaftStore again = cluster.restart(name);
    await(again.self() + " leads alone after a restart", again::isLeader);
    assertEquals(List.of(again.self()), again.peers());
    for (String n : List.of("n4", "n5")) {
      RaftStore joiner = cluster.start(n, List.of());
      result(again.addPeer(joiner.self()));
    }
    ClusterState after = result(again.propose(Commands.putNode("node4", "node4")));
    awaitAllAt(after);
    assertEquals(List.of(again.self(), cluster.address("n4"), cluster.address("n5")).stream().sorted().toList(), again.peers());
  }

  private String nameOf(RaftStore s) {
    for (String n : List.of("n1", "n2", "n3", "n4", "n5")) {
      if (cluster.get(n) == s) {
        return n;
      }
    }
    throw new AssertionError("no name for " + s.self());
  }
}
