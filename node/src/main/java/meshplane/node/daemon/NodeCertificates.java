package meshplane.node.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import meshplane.cluster.storage.DurableFile;
import meshplane.pki.NodeCredentials;
import meshplane.pki.Pem;

/**
 * The node's credentials on disk, as Swarm keeps them: {@code certificates/swarm-node.key} (its
 * private key, mode 0600, never sent anywhere), {@code swarm-node.crt} (its certificate) and
 * {@code swarm-root-ca.crt} (the cluster root, its only trust anchor). Each file is written whole
 * and durably ({@link DurableFile}), the key first, so a crash leaves the old pair or the new one.
 */
final class NodeCertificates {
  static final String DIR = "certificates";
  static final String KEY = "swarm-node.key";
  static final String CERT = "swarm-node.crt";
  static final String ROOT = "swarm-root-ca.crt";

  private final Path dir;

  NodeCertificates(Path stateDir) {
    this.dir = stateDir.resolve(DIR);
  }

  Path dir() {
    return dir;
  }

  /** The credentials saved last; empty when there are none (the node is in no swarm). */
  Optional<NodeCredentials> load() {
    if (!Files.exists(dir.resolve(CERT))) {
      return Optional.empty();
    }
    return Optional.of(NodeCredentials.read(dir.resolve(KEY), dir.resolve(CERT), dir.resolve(ROOT)));
  }

  void save(NodeCredentials c) {
    try {
      Files.createDirectories(dir);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
      write(KEY, Pem.write(c.key()), true);
      write(ROOT, Pem.write(c.roots().toArray()), false);
      write(CERT, Pem.write(c.chain().toArray()), false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the node's certificates to " + dir, e);
    }
  }

  private void write(String name, String pem, boolean secret) throws IOException {
    DurableFile.write(dir.resolve(name), secret ? DurableFile.PRIVATE : DurableFile.READABLE,
        out -> out.write(pem.getBytes(StandardCharsets.US_ASCII)));
  }
}
