package meshplane.node.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import meshplane.cluster.storage.DurableFile;
import meshplane.pki.NodeCredentials;
import meshplane.pki.Pem;

/**
 * The node's credentials on disk, as Swarm keeps them: {@code certificates/swarm-node.key} (its
 * private key, mode 0600, never sent anywhere), {@code swarm-node.crt} (its certificate) and
 * {@code swarm-root-ca.crt} (the cluster root, its only trust anchor).
 *
 * <p>The three change together (a renewal brings a new key and its certificate), so a crash must
 * leave the old set or the new one, never a new key beside the old certificate. A save writes the
 * new set beside the old one as {@code NAME.next} (each durably, {@link DurableFile}), the
 * certificate last: its {@code .next} is the commit. Then each {@code .next} is renamed into place,
 * the certificate last, and the folder fsynced. {@link #load} first finishes a committed set
 * (rolls forward) or drops an uncommitted one (rolls back).
 */
final class NodeCertificates {
  static final String DIR = "certificates";
  static final String KEY = "swarm-node.key";
  static final String CERT = "swarm-node.crt";
  static final String ROOT = "swarm-root-ca.crt";
  static final String NEXT = ".next";
  /** In the order they are written and put in place: the certificate, last, commits. */
  private static final List<String> FILES = List.of(KEY, ROOT, CERT);

  private final Path dir;

  NodeCertificates(Path stateDir) {
    this.dir = stateDir.resolve(DIR);
  }

  Path dir() {
    return dir;
  }

  /** The credentials saved last; empty when there are none (the node is in no swarm). */
  Optional<NodeCredentials> load() {
    try {
      settle();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot finish the last save of the node's certificates in " + dir, e);
    }
    if (!Files.exists(dir.resolve(CERT))) {
      return Optional.empty();
    }
    return Optional.of(NodeCredentials.read(dir.resolve(KEY), dir.resolve(CERT), dir.resolve(ROOT)));
  }

  void save(NodeCredentials c) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      settle();
      write(KEY, Pem.write(c.key()), true);
      write(ROOT, Pem.write(c.roots().toArray()), false);
      write(CERT, Pem.write(c.chain().toArray()), false); // the commit
      settle();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the node's certificates to " + dir, e);
    }
  }

  private void write(String name, String pem, boolean secret) throws IOException {
    DurableFile.write(dir.resolve(name + NEXT), secret ? DurableFile.PRIVATE : DurableFile.READABLE,
        out -> out.write(pem.getBytes(StandardCharsets.US_ASCII)));
  }

  /** Puts a committed set in place, or removes the start of one that was never committed. */
  private void settle() throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    boolean committed = Files.exists(dir.resolve(CERT + NEXT));
    for (String name : FILES) {
      Path next = dir.resolve(name + NEXT);
      if (committed && Files.exists(next)) {
        Files.move(next, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        Files.deleteIfExists(next);
      }
    }
    DurableFile.syncFolder(dir);
  }
}
