package meshplane.cluster.raft;

import com.alipay.sofa.jraft.Closure;
import com.alipay.sofa.jraft.Iterator;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.core.StateMachineAdapter;
import com.alipay.sofa.jraft.error.RaftError;
import com.alipay.sofa.jraft.error.RaftException;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotReader;
import com.alipay.sofa.jraft.storage.snapshot.SnapshotWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandCodec;
import meshplane.cluster.model.CommandRejectedException;
import meshplane.cluster.storage.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated {@link ClusterState}: jraft hands it committed log entries in order and it
 * applies each {@link Command} ({@code state.apply(command, index)}). A rejected command leaves
 * the state as it was (every replica rejects it alike) and goes back to its proposer. An entry
 * that cannot be decoded stops this replica with an error naming its index: skipping it would
 * let replicas diverge silently. A snapshot is the state's JSON in {@value #SNAPSHOT_FILE}.
 *
 * <p>Listeners run on the state machine's thread after every applied entry (state listeners also
 * after a snapshot load; command listeners hear the command with the state after it): they must be quick (hand the state to another thread for anything slow). A listener added
 * late hears the current value first, so it misses nothing.
 */
public final class ClusterStateMachine extends StateMachineAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterStateMachine.class);
  static final String SNAPSHOT_FILE = "cluster-state.json";

  private final String self;
  private final List<Consumer<ClusterState>> stateListeners = new CopyOnWriteArrayList<>();
  private final List<Consumer<Boolean>> leaderListeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<Command, ClusterState>> commandListeners = new CopyOnWriteArrayList<>();
  private final ExecutorService snapshotWriter;
  private volatile ClusterState state = ClusterState.EMPTY;
  private volatile long leaderTerm = -1;
  private volatile List<String> committedPeers = List.of();
  private volatile long loadedSnapshotIndex;
  private volatile RaftException failure;
  private volatile String loadFailure;

  ClusterStateMachine(String self) {
    this.self = self;
    this.snapshotWriter = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "meshplane-raft-snapshot-" + self);
      t.setDaemon(true);
      return t;
    });
  }

  public ClusterState state() {
    return state;
  }

  public boolean isLeader() {
    return leaderTerm > 0;
  }

  long leaderTerm() {
    return leaderTerm;
  }

  /** The last configuration committed through the log (or loaded with a snapshot), as {@code ip:port}. */
  List<String> committedPeers() {
    return committedPeers;
  }

  /** The log index of the last snapshot this replica loaded (0: none since it started). */
  long loadedSnapshotIndex() {
    return loadedSnapshotIndex;
  }

  /** Why the last snapshot this replica tried to load could not be, naming its file (empty: none failed). */
  Optional<String> loadFailure() {
    return Optional.ofNullable(loadFailure);
  }

  /** Why this replica stopped applying the log, if it did. */
  Optional<RaftException> failure() {
    return Optional.ofNullable(failure);
  }

  /** {@code l} hears the current state at once, then every change (a change racing the call may come twice). */
  void addStateListener(Consumer<ClusterState> l) {
    stateListeners.add(l);
    l.accept(state);
  }

  /** {@code l} hears every command applied from now on, with the state right after it (not rejected ones, not snapshot loads). */
  void addCommandListener(BiConsumer<Command, ClusterState> l) {
    commandListeners.add(l);
  }

  /** {@code l} hears whether this replica leads now, then every change (a change racing the call may come twice). */
  void addLeaderListener(Consumer<Boolean> l) {
    leaderListeners.add(l);
    l.accept(isLeader());
  }

  @Override
  public void onApply(Iterator iter) {
    while (iter.hasNext()) {
      long index = iter.getIndex();
      Closure done = iter.done();
      ProposalClosure proposal = done instanceof ProposalClosure p ? p : null;
      Command command;
      if (proposal != null) {
        command = proposal.command();
      } else {
        try {
          command = CommandCodec.decode(bytes(iter.getData()));
        } catch (RuntimeException e) {
          String why = "cannot decode Raft log entry " + index + " on " + self + ": " + e.getMessage();
          LOG.error("{}; this replica stops applying the log", why);
          iter.setErrorAndRollback(1, new Status(RaftError.ESTATEMACHINE, "%s", why));
          return;
        }
      }
      applyOne(command, index, proposal);
      if (done != null) {
        done.run(Status.OK());
      }
      iter.next();
    }
  }

  private void applyOne(Command command, long index, ProposalClosure proposal) {
    try {
      ClusterState next = state.apply(command, index);
      state = next;
      if (proposal != null) {
        proposal.applied(next);
      }
      notifyCommand(command, next);
      notifyState(next);
    } catch (CommandRejectedException e) {
      LOG.debug("log entry {}: {} rejected: {}", index, ProposalClosure.name(command), e.getMessage());
      if (proposal != null) {
        proposal.rejected(e);
      }
    }
  }

  private static byte[] bytes(ByteBuffer data) {
    if (data == null) {
      return new byte[0];
    }
    ByteBuffer d = data.duplicate();
    byte[] b = new byte[d.remaining()];
    d.get(b);
    return b;
  }

  private void notifyState(ClusterState s) {
    for (Consumer<ClusterState> l : stateListeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        LOG.warn("state listener {} failed at index {}: {}", l, s.index(), e.toString());
      }
    }
  }

  private void notifyCommand(Command c, ClusterState after) {
    for (BiConsumer<Command, ClusterState> l : commandListeners) {
      try {
        l.accept(c, after);
      } catch (RuntimeException e) {
        LOG.warn("command listener {} failed at index {}: {}", l, after.index(), e.toString());
      }
    }
  }

  private void notifyLeader(boolean isLeader) {
    for (Consumer<Boolean> l : leaderListeners) {
      try {
        l.accept(isLeader);
      } catch (RuntimeException e) {
        LOG.warn("leader listener {} failed: {}", l, e.toString());
      }
    }
  }

  @Override
  public void onSnapshotSave(SnapshotWriter writer, Closure done) {
    ClusterState copy = state; // immutable: the reference taken on this thread is the copy
    snapshotWriter.execute(() -> {
      Path file = Path.of(writer.getPath(), SNAPSHOT_FILE);
      try {
        // jraft renamed the last snapshot's folder into place without an fsync of their parent: done here,
        // before this snapshot lets jraft drop the log up to that one
        DurableFile.syncFolder(Path.of(writer.getPath()).getParent());
        DurableFile.write(file, CommandCodec.encodeState(copy)); // whole and on disk before jraft renames the folder
      } catch (IOException | RuntimeException e) {
        done.run(new Status(RaftError.EIO, "cannot write the cluster state snapshot %s: %s", file, e));
        return;
      }
      if (writer.addFile(SNAPSHOT_FILE)) {
        done.run(Status.OK());
      } else {
        done.run(new Status(RaftError.EIO, "cannot add %s to the snapshot in %s", SNAPSHOT_FILE, writer.getPath()));
      }
    });
  }

  @Override
  public boolean onSnapshotLoad(SnapshotReader reader) {
    Path file = Path.of(reader.getPath(), SNAPSHOT_FILE);
    if (reader.getFileMeta(SNAPSHOT_FILE) == null) {
      return loadFailed("the snapshot in " + reader.getPath() + " has no " + SNAPSHOT_FILE);
    }
    ClusterState loaded;
    try {
      loaded = CommandCodec.decodeState(Files.readAllBytes(file));
    } catch (IOException | RuntimeException e) {
      return loadFailed("the cluster state snapshot " + file + " cannot be read (torn or corrupt?): " + e.getMessage());
    }
    state = loaded;
    var meta = reader.load();
    loadedSnapshotIndex = meta == null ? 0 : meta.getLastIncludedIndex();
    notifyState(loaded);
    return true;
  }

  private boolean loadFailed(String why) {
    loadFailure = why;
    LOG.error("cannot load a snapshot on {}: {}", self, why);
    return false;
  }

  @Override
  public void onConfigurationCommitted(Configuration conf) {
    committedPeers = RaftPeers.format(conf.getPeers());
  }

  @Override
  public void onLeaderStart(long term) {
    leaderTerm = term;
    notifyLeader(true);
  }

  @Override
  public void onLeaderStop(Status status) {
    leaderTerm = -1;
    notifyLeader(false);
  }

  @Override
  public void onError(RaftException e) {
    failure = e;
    LOG.error("Raft on {} stopped: {}", self, e.getStatus());
  }

  @Override
  public void onShutdown() {
    snapshotWriter.shutdown();
  }
}
