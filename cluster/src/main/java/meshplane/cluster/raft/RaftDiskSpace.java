package meshplane.cluster.raft;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The free space of the file system a manager's Raft log is on, checked before each proposal:
 * below {@link #MIN_FREE_BYTES} the write is refused ({@link NoSpaceException}) instead of being
 * appended. jraft treats a failed log write as fatal (the replica stops until it is restarted),
 * so a full disk must never reach it; refusing at the door keeps the replica serving reads and
 * taking writes again as soon as space returns (each check is one {@code statvfs}).
 */
final class RaftDiskSpace {
  /** What a proposal needs free: room for RocksDB's WAL, a memtable flush and a snapshot of a large state. */
  static final long MIN_FREE_BYTES = 16L << 20;

  private final Path logDir;
  private final String self;
  private final FileStore store;

  RaftDiskSpace(Path logDir, String self) throws IOException {
    this.logDir = logDir;
    this.self = self;
    this.store = Files.getFileStore(logDir); // the store reads statvfs of this path afresh on each call
  }

  /** Why a write must be refused now, if it must. */
  Optional<NoSpaceException> refusal(String what) {
    long free;
    try {
      free = store.getUsableSpace();
    } catch (IOException e) {
      return Optional.of(new NoSpaceException("cannot " + what + ": cannot read the free space of the Raft log at "
          + logDir + " on manager " + self + ": " + e.getMessage()));
    }
    if (free >= MIN_FREE_BYTES) {
      return Optional.empty();
    }
    return Optional.of(new NoSpaceException("cannot " + what + ": no space left on device writing the Raft log at "
        + logDir + " on manager " + self + " (" + free + " bytes free, " + MIN_FREE_BYTES
        + " needed); writes are refused until space returns, reads go on"));
  }
}
