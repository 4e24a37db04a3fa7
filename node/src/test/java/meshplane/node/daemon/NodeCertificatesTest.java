package meshplane.node.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import meshplane.pki.CertRole;
import meshplane.pki.ClusterCa;
import meshplane.pki.NodeCredentials;
import meshplane.pki.NodeIdentity;
import meshplane.pki.Pem;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key, certificate and root on disk change as one set: a crash at any point of a save leaves
 * the old set or the new one (the disk as a crash leaves it is written here by hand, file by file,
 * as a save writes it).
 */
@Tag("unit")
class NodeCertificatesTest {
  private static final ClusterCa CA = ClusterCa.create();
  private static final NodeCredentials OLD = CA.credentialsFor(new NodeIdentity("n1", CertRole.WORKER, "c"), ClusterCa.NODE_VALIDITY);
  private static final NodeCredentials NEW = CA.credentialsFor(new NodeIdentity("n1", CertRole.MANAGER, "c"), ClusterCa.NODE_VALIDITY);

  @TempDir
  Path state;

  @Test
  void aSavedSetLoadsBackWithTheKeyPrivateAndNothingElseLeft() throws Exception {
    NodeCertificates certs = new NodeCertificates(state);
    certs.save(OLD);
    certs.save(NEW);
    assertSame(NEW, certs.load().orElseThrow());
    assertEquals(List.of(NodeCertificates.KEY, NodeCertificates.ROOT, NodeCertificates.CERT), files(certs.dir()));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.dir().resolve(NodeCertificates.KEY))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(certs.dir())));
  }

  @Test
  void aCrashBeforeTheCertificateIsWrittenLeavesTheOldSet() throws Exception {
    NodeCertificates certs = new NodeCertificates(state);
    certs.save(OLD);
    // the new key and root were written, the certificate (the commit) was not
    Files.writeString(certs.dir().resolve(NodeCertificates.KEY + NodeCertificates.NEXT), Pem.write(NEW.key()));
    Files.writeString(certs.dir().resolve(NodeCertificates.ROOT + NodeCertificates.NEXT), Pem.write(NEW.roots().toArray()));
    assertSame(OLD, certs.load().orElseThrow());
    assertEquals(List.of(NodeCertificates.KEY, NodeCertificates.ROOT, NodeCertificates.CERT), files(certs.dir()));
  }

  @Test
  void aCrashWhileTheCommittedSetIsPutInPlaceFinishesTheNewSet() throws Exception {
    NodeCertificates certs = new NodeCertificates(state);
    certs.save(OLD);
    // all three written; the new key was already renamed into place beside the old certificate
    Files.writeString(certs.dir().resolve(NodeCertificates.KEY), Pem.write(NEW.key()));
    Files.writeString(certs.dir().resolve(NodeCertificates.ROOT + NodeCertificates.NEXT), Pem.write(NEW.roots().toArray()));
    Files.writeString(certs.dir().resolve(NodeCertificates.CERT + NodeCertificates.NEXT), Pem.write(NEW.chain().toArray()));
    assertSame(NEW, certs.load().orElseThrow());
    assertEquals(List.of(NodeCertificates.KEY, NodeCertificates.ROOT, NodeCertificates.CERT), files(certs.dir()));
  }

  private static void assertSame(NodeCredentials expected, NodeCredentials loaded) {
    assertArrayEquals(expected.key().getEncoded(), loaded.key().getEncoded(), "the key");
    assertEquals(expected.certificate(), loaded.certificate(), "the certificate of that key");
    assertEquals(expected.roots(), loaded.roots());
    assertTrue(loaded.certificate().getPublicKey().equals(expected.certificate().getPublicKey()));
  }

  private static List<String> files(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted((a, b) -> order(a) - order(b)).toList();
    }
  }

  private static int order(String name) {
    List<String> known = List.of(NodeCertificates.KEY, NodeCertificates.ROOT, NodeCertificates.CERT);
    return known.contains(name) ? known.indexOf(name) : 100 + name.length();
  }
}
