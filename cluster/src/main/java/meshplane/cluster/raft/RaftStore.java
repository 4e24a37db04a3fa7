package meshplane.cluster.raft;

import com.alipay.remoting.config.BoltGenericOption;
import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.entity.EnumOutter;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managers' replicated store: one SOFAJRaft node of group {@value #GROUP_ID}, its RPC server
 * on {@code self}, and the {@link ClusterStateMachine}. Writes go through the log
 * ({@link #propose}) on the leader; {@link #local} is this replica's latest applied state and
 * {@link #readConsistent} a linearizable read. Several stores may run in one JVM (tests), each on
 * its own port and data directory.
 *
 * <p>The Raft port is mutual TLS 1.3 with the config's manager credentials, both ways (the listener
 * and this node's client to its peers, {@link RaftTlsHandlers} on each): the peer must present a
 * certificate of the same root whose OU is {@code swarm-manager}, or the handshake fails. It
 * answers jraft's core Raft requests only, not its CLI (admin) ones ({@link RaftProcessors}).
 */
public final class RaftStore implements AutoCloseable {
  public static final String GROUP_ID = "meshplane";
  /** How long a proposal, a fallback read or a membership change may take before it fails. */
  public static final Duration TIMEOUT = Duration.ofSeconds(10);
  /** How often a leader with a full disk may try to hand its leadership on. */
  static final Duration HAND_OFF_EVERY = Duration.ofSeconds(5);
  private static final Logger LOG = LoggerFactory.getLogger(RaftStore.class);
  /** Changes nothing but the index: the read through the log when readIndex fails on the leader. */
  static final Command BARRIER = new Command.PutTasks(List.of(), List.of());

  private final RaftStoreConfig config;
  private final ClusterStateMachine fsm;
  private final RaftGroupService group;
  private final Node node;
  private final ExecutorService callbacks;
  private final RaftDiskSpace disk;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicLong lastHandOff = new AtomicLong();

  private RaftStore(RaftStoreConfig config, ClusterStateMachine fsm, RaftGroupService group, Node node,
      ExecutorService callbacks, RaftDiskSpace disk) {
    this.config = config;
    this.disk = disk;
    this.fsm = fsm;
    this.group = group;
    this.node = node;
    this.callbacks = callbacks;
  }

  /**
   * Creates the data folders ({@code log}, {@code raft_meta}, {@code snapshot}), listens on
   * {@code self} and starts the Raft node: it replays its snapshot and log, then elects or
   * follows. A group of one ({@code initialPeers = [self]}) elects itself at once.
   */
  public static RaftStore start(RaftStoreConfig config) throws IOException {
    PeerId self = RaftPeers.parse("self", config.self());
    Path dir = config.dataDir();
    for (String sub : List.of("log", "raft_meta", "snapshot")) {
      Files.createDirectories(dir.resolve(sub));
    }
    ClusterStateMachine fsm = new ClusterStateMachine(config.self());
    NodeOptions opts = new TlsNodeOptions(config.credentials());
    opts.setFsm(fsm);
    opts.setElectionTimeoutMs(config.electionTimeoutMs());
    opts.setSnapshotIntervalSecs(config.snapshotIntervalSecs());
    opts.setInitialConf(RaftPeers.configuration("initialPeers", config.initialPeers()));
    opts.setLogUri(dir.resolve("log").toString());
    opts.setRaftMetaUri(dir.resolve("raft_meta").toString());
    opts.setSnapshotUri(dir.resolve("snapshot").toString());

    com.alipay.remoting.rpc.RpcServer bolt = new com.alipay.remoting.rpc.RpcServer(
        self.getEndpoint().getIp(), self.getEndpoint().getPort(), true);
    bolt.option(BoltGenericOption.EXTENDED_NETTY_CHANNEL_HANDLER, RaftTlsHandlers.server(config.credentials(), config.self().toString()));
    RpcServer rpc = new BoltRpcServer(bolt);
    RaftProcessors.registerCore(rpc);
    boolean listening;
    try {
      listening = rpc.init(null);
    } catch (RuntimeException e) {
      quietly(rpc);
      throw new IOException("cannot listen for Raft on " + config.self() + ": " + e.getMessage(), e);
    }
    if (!listening) {
      quietly(rpc);
      throw new IOException("cannot listen for Raft on " + config.self());
    }
    RaftGroupService group = new RaftGroupService(GROUP_ID, self, opts, rpc);
    Node node;
    try {
      node = group.start(false);
    } catch (RuntimeException e) {
      quietly(rpc);
      String why = fsm.loadFailure().orElse(e.getMessage() + " (jraft could not read its log " + dir.resolve("log")
          + ", its meta " + dir.resolve("raft_meta") + " or its snapshot in " + dir.resolve("snapshot") + ": its log says which)");
      throw new IOException("cannot start the Raft node " + config.self() + " on " + dir + ": " + why, e);
    }
    ExecutorService callbacks = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "meshplane-raft-callbacks-" + config.self());
      t.setDaemon(true);
      return t;
    });
    return new RaftStore(config, fsm, group, node, callbacks, new RaftDiskSpace(dir.resolve("log"), config.self()));
  }

  /** Stops an RPC server that failed to start (bolt may have stopped it already). */
  private static void quietly(RpcServer rpc) {
    try {
      rpc.shutdown();
    } catch (RuntimeException alreadyStopped) {
      // nothing left to stop
    }
  }

  /**
   * Appends {@code c} to the log (leader only). Completes with the state right after it was
   * applied, or exceptionally: {@code CommandRejectedException} (the state refused it and is
   * unchanged), {@link NotLeaderException}, or an exception naming what failed (a timeout after
   * {@link #TIMEOUT}, the node shutting down, the state machine stopped).
   */
  public CompletableFuture<ClusterState> propose(Command c) {
    CompletableFuture<ClusterState> f = new CompletableFuture<>();
    String what = "propose " + ProposalClosure.name(c);
    long term = fsm.leaderTerm();
    if (fsm.failure().isPresent()) {
      f.completeExceptionally(stopped(what));
      return f;
    }
    if (term <= 0) {
      f.completeExceptionally(notLeader(what));
      return f;
    }
    Optional<NoSpaceException> full = disk.refusal(what);
    if (full.isPresent()) {
      handOffLeadership(full.get().getMessage());
      f.completeExceptionally(full.get());
      return f;
    }
    byte[] data;
    try {
      data = CommandCodec.encode(c);
    } catch (RuntimeException e) {
      f.completeExceptionally(e);
      return f;
    }
    Task task = new Task(ByteBuffer.wrap(data), new ProposalClosure(c, f, callbacks, this::notLeader));
    task.setExpectedTerm(term); // applied under the term we believe we lead, or refused
    node.apply(task);
    return withDeadline(f, what);
  }

  /** The latest state applied on this replica (may lag the leader). */
  public ClusterState local() {
    return fsm.state();
  }

  /**
   * A linearizable read: the state once this replica has applied everything committed when the
   * read began (jraft's readIndex, served by a follower too). When readIndex fails on the leader
   * the read goes through the log (a {@link #BARRIER}); on a follower it fails with
   * {@link NotLeaderException}.
   */
  public CompletableFuture<ClusterState> readConsistent() {
    CompletableFuture<ClusterState> f = new CompletableFuture<>();
    if (fsm.failure().isPresent()) {
      f.completeExceptionally(stopped("read the state"));
      return f;
    }
    node.readIndex(new byte[0], new ReadIndexClosure() {
      @Override
      public void run(Status status, long index, byte[] reqCtx) {
        if (status.isOk()) {
          ClusterState s = fsm.state();
          callbacks.execute(() -> f.complete(s));
          return;
        }
        callbacks.execute(() -> {
          if (!fsm.isLeader()) {
            f.completeExceptionally(notLeader("read the state (readIndex: " + status + ")"));
            return;
          }
          propose(BARRIER).whenComplete((s, e) -> {
            if (e == null) {
              f.complete(s);
            } else {
              f.completeExceptionally(e);
            }
          });
        });
      }
    });
    return withDeadline(f, "read the state");
  }

  /**
   * Whether this manager is the Raft leader and its state machine has applied every entry of
   * earlier terms (jraft's {@code onLeaderStart}): {@link #local} is then current and proposals
   * are accepted.
   */
  public boolean isLeader() {
    return fsm.isLeader() && node.isLeader();
  }

  /** The leader's Raft address {@code ip:port}, when this replica knows one. */
  public Optional<String> leader() {
    PeerId l = node.getLeaderId();
    return l == null || l.isEmpty() ? Optional.empty() : Optional.of(RaftPeers.format(l));
  }

  /** This store's own Raft address. */
  public String self() {
    return config.self();
  }

  /**
   * The group's configuration as {@code ip:port}, sorted: the leader's current one; elsewhere the
   * last one committed through the log (or the initial peers before any).
   */
  public List<String> peers() {
    if (node.isLeader()) {
      try {
        return RaftPeers.format(node.listPeers());
      } catch (IllegalStateException lostLeadership) {
        // fall through to the committed configuration
      }
    }
    List<String> committed = fsm.committedPeers();
    return committed.isEmpty() ? config.initialPeers().stream().sorted().toList() : committed;
  }

  /**
   * A leader whose disk is full asks jraft to hand its leadership to the most up-to-date other
   * member (at most once per {@link #HAND_OFF_EVERY}), so the group takes writes again; alone,
   * it keeps leading and refusing them.
   */
  private void handOffLeadership(String why) {
    long now = System.nanoTime();
    long last = lastHandOff.get();
    if ((last != 0 && now - last < HAND_OFF_EVERY.toNanos()) || peers().size() < 2 || !lastHandOff.compareAndSet(last, now)) {
      return;
    }
    Status st = node.transferLeadershipTo(PeerId.ANY_PEER);
    LOG.warn("{}: handing the leadership of {} to another manager: {}", why, config.self(), st);
  }

  /**
   * Why this replica's storage failed, if it did: jraft stops a replica whose log, meta or snapshot
   * could not be written (a full disk among others) until it is restarted from its data.
   */
  public Optional<String> storageFailure() {
    return fsm.failure().filter(e -> e.getType() != EnumOutter.ErrorType.ERROR_TYPE_STATE_MACHINE)
        .map(e -> e.getType() + " " + e.getStatus());
  }

  /** Whether the Raft log's disk has the space a write needs ({@link RaftDiskSpace#MIN_FREE_BYTES}). */
  public boolean hasSpace() {
    return disk.refusal("check the space").isEmpty();
  }

  /**
   * Whether the manager at {@code peer} ({@code ip:port}) takes part in Raft: a member that, on
   * the leader, answered within an election timeout (jraft's alive peers: a manager whose store
   * did not start, or is down, is not); elsewhere, where that is not known, any member.
   */
  public boolean reachable(String peer) {
    if (!peers().contains(peer)) {
      return false;
    }
    if (node.isLeader()) {
      try {
        return RaftPeers.format(node.listAlivePeers()).contains(peer);
      } catch (IllegalStateException lostLeadership) {
        // not known here any more
      }
    }
    return true;
  }

  /** Leader only: adds {@code peer} ({@code ip:port}) to the group once it has caught up. Adding a member is a no-op. */
  public CompletableFuture<Void> addPeer(String peer) {
    return changeMembership("add Raft peer " + peer, peer, true);
  }

  /** Leader only: removes {@code peer} from the group. Removing a non-member is a no-op. */
  public CompletableFuture<Void> removePeer(String peer) {
    return changeMembership("remove Raft peer " + peer, peer, false);
  }

  private CompletableFuture<Void> changeMembership(String what, String peer, boolean add) {
    CompletableFuture<Void> f = new CompletableFuture<>();
    PeerId p;
    try {
      p = RaftPeers.parse("peer", peer);
    } catch (IllegalArgumentException e) {
      f.completeExceptionally(e);
      return f;
    }
    if (!node.isLeader()) {
      f.completeExceptionally(notLeader(what));
      return f;
    }
    try {
      if (node.listPeers().contains(p) == add) {
        f.complete(null);
        return f;
      }
      com.alipay.sofa.jraft.Closure done = status -> callbacks.execute(() -> {
        if (status.isOk()) {
          f.complete(null);
        } else if (status.getRaftError() == RaftError.EPERM) {
          f.completeExceptionally(notLeader(what));
        } else {
          f.completeExceptionally(new IllegalStateException("cannot " + what + ": " + status));
        }
      });
      if (add) {
        node.addPeer(p, done);
      } else {
        node.removePeer(p, done);
      }
    } catch (IllegalStateException | IllegalArgumentException e) {
      f.completeExceptionally(node.isLeader()
          ? new IllegalStateException("cannot " + what + ": " + e.getMessage(), e) : notLeader(what));
      return f;
    }
    return withDeadline(f, what);
  }

  /**
   * {@code swarm init --force-new-cluster}: makes this replica's Raft configuration itself alone
   * (jraft's {@code Node.resetPeers}), whatever the others say. It steps down, elects itself at
   * its next election timeout and, as the new leader, commits that one-peer configuration through
   * the log (and with it every entry its log holds, committed or not). Only for a group that lost
   * its quorum: the caller checks; a member left out that still runs would lead a group of its own.
   */
  public void resetPeersToSelf() {
    PeerId self = RaftPeers.parse("self", config.self());
    Status st = node.resetPeers(new com.alipay.sofa.jraft.conf.Configuration(List.of(self)));
    if (!st.isOk()) {
      throw new IllegalStateException("cannot reset the Raft configuration of " + config.self() + " to itself alone: " + st);
    }
  }

  /**
   * Called at once with the current state, then on the state machine's thread after every applied
   * entry and every snapshot load; must be quick. A state racing the call may be heard twice.
   */
  public void addStateListener(Consumer<ClusterState> l) {
    fsm.addStateListener(l);
  }

  /**
   * Called on the state machine's thread after every applied command (not a rejected one, not a
   * snapshot load) with the state right after it; must be quick. Hears only what is applied after
   * the call: a listener that needs everything starts from {@link #local} as a whole.
   */
  public void addCommandListener(java.util.function.BiConsumer<Command, ClusterState> l) {
    fsm.addCommandListener(l);
  }

  /**
   * Called at once with whether this manager leads now, then with {@code true} when it becomes
   * leader and {@code false} when it stops being one (also when it shuts down as leader).
   */
  public void addLeaderListener(Consumer<Boolean> isLeaderNow) {
    fsm.addLeaderListener(isLeaderNow);
  }

  /**
   * Takes a snapshot now and waits for it (at most {@link #TIMEOUT}); the log before the previous
   * snapshot is then dropped. Nothing to do when no entry was applied since the last one.
   */
  public void snapshotNow() {
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<Status> result = new AtomicReference<>();
    node.snapshot(status -> {
      result.set(status);
      done.countDown();
    });
    try {
      if (!done.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("snapshot of " + config.self() + " did not finish within " + TIMEOUT.toSeconds() + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for the snapshot of " + config.self(), e);
    }
    if (!result.get().isOk()) {
      throw new IllegalStateException("snapshot of " + config.self() + " failed: " + result.get());
    }
  }

  /** Shuts the Raft node and its RPC server down and waits for the node to finish. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    try {
      group.shutdown();
      group.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      callbacks.shutdown();
    }
  }

  // --- for tests in this package ---------------------------------------------------------

  Node node() {
    return node;
  }

  ClusterStateMachine stateMachine() {
    return fsm;
  }

  // ---------------------------------------------------------------------------------------

  private NotLeaderException notLeader(String what) {
    return new NotLeaderException(what, config.self(), leader().orElse(null));
  }

  private IllegalStateException stopped(String what) {
    return new IllegalStateException("cannot " + what + ": Raft on " + config.self() + " stopped applying the log: "
        + fsm.failure().map(e -> e.getStatus().getErrorMsg()).orElse("?"));
  }

  private <T> CompletableFuture<T> withDeadline(CompletableFuture<T> f, String what) {
    CompletableFuture.delayedExecutor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).execute(() -> f.completeExceptionally(
        new TimeoutException(what + " on " + config.self() + " did not finish within " + TIMEOUT.toSeconds() + " s")));
    return f;
  }
}
