package meshplane.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root and node certificates, with openssl as the independent witness of what they say. */
@Tag("unit")
class ClusterCaTest {
  private static final NodeIdentity NODE1 = new NodeIdentity("5kp6ikxh8ruvchn75cnb4xezd", CertRole.MANAGER,
      "q3tbk6e3wvdmaodz9yo7u1wn2");

  @TempDir Path dir;

  private static String openssl(String... args) throws Exception {
    List<String> argv = new java.util.ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), String.join(" ", argv) + ": " + out);
    return out;
  }

  private Path write(String name, String pem) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, pem);
    return f;
  }

  @Test
  void theRootIsASelfSignedP256CaOfTwentyYears() throws Exception {
    ClusterCa ca = ClusterCa.create();
    Path root = write("root.pem", ca.rootPem());
    String text = openssl("x509", "-in", root.toString(), "-noout", "-text");
    assertTrue(text.contains("Subject: CN = swarm-ca") && text.contains("Issuer: CN = swarm-ca"), text);
    assertTrue(text.contains("ASN1 OID: prime256v1") && text.contains("ecdsa-with-SHA256"), text);
    assertTrue(text.contains("CA:TRUE") && text.contains("Certificate Sign, CRL Sign"), text);
    Duration life = Duration.between(ca.root().getNotBefore().toInstant(), ca.root().getNotAfter().toInstant());
    assertTrue(life.toDays() >= 20 * 365, life.toString());
    openssl("verify", "-CAfile", root.toString(), root.toString());
  }

  @Test
  void aNodeCertificateNamesItsNodeRoleAndClusterAndVerifiesAgainstTheRoot() throws Exception {
    ClusterCa ca = ClusterCa.create();
    NodeKey key = NodeKey.generate();
    X509Certificate cert = ca.issue(key.csr(), NODE1, ClusterCa.NODE_VALIDITY);
    Path root = write("root.pem", ca.rootPem());
    Path node = write("node.pem", Pem.write(cert));
    String subject = openssl("x509", "-in", node.toString(), "-noout", "-subject", "-nameopt", "RFC2253").strip();
    assertEquals("subject=CN=5kp6ikxh8ruvchn75cnb4xezd,OU=swarm-manager,O=q3tbk6e3wvdmaodz9yo7u1wn2", subject);
    String text = openssl("x509", "-in", node.toString(), "-noout", "-text");
    assertTrue(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"), text);
    assertTrue(text.contains("DNS:swarm-manager, DNS:5kp6ikxh8ruvchn75cnb4xezd"), text);
    assertTrue(text.contains("CA:FALSE"), text);
    assertTrue(openssl("verify", "-CAfile", root.toString(), node.toString()).contains("OK"));
    Duration life = Duration.between(Instant.now(), cert.getNotAfter().toInstant());
    assertTrue(life.toDays() >= 89 && life.toDays() <= 90, life.toString());
    assertEquals(NODE1, NodeIdentity.of(cert));
    ca.verify(cert);
    // the key file and the certificate belong together, as openssl sees them
    Path keyFile = write("node.key", key.privateKeyPem());
    String fromKey = openssl("pkey", "-in", keyFile.toString(), "-pubout");
    String fromCert = openssl("x509", "-in", node.toString(), "-noout", "-pubkey");
    assertEquals(fromKey, fromCert);
  }

  @Test
  void anotherClustersCertificateIsNotThisCasAndTheIdentityIsTheCasNotTheCsrs() throws Exception {
    ClusterCa ours = ClusterCa.create();
    ClusterCa rogue = ClusterCa.create();
    X509Certificate foreign = rogue.issue(NodeKey.generate().csr(), NODE1, ClusterCa.NODE_VALIDITY);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ours.verify(foreign));
    assertTrue(e.getMessage().contains("not signed by this cluster's CA"), e.getMessage());
    Path root = write("root.pem", ours.rootPem());
    Path other = write("other.pem", Pem.write(foreign));
    Process p = new ProcessBuilder("openssl", "verify", "-CAfile", root.toString(), other.toString()).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    assertTrue(p.waitFor() != 0, "openssl refuses it too");
    // the CSR says CN=meshplane-node; the certificate says what the CA decided
    X509Certificate worker = ours.issue(NodeKey.generate().csr(), new NodeIdentity("w1", CertRole.WORKER, "c1"),
        ClusterCa.NODE_VALIDITY);
    assertEquals(new NodeIdentity("w1", CertRole.WORKER, "c1"), NodeIdentity.of(worker));
  }

  @Test
  void aCaReadBackFromPemIssuesAndAMismatchedKeyIsRefused() {
    ClusterCa ca = ClusterCa.create();
    ClusterCa again = ClusterCa.of(ca.rootPem(), ca.keyPem());
    ca.verify(again.issue(NodeKey.generate().csr(), NODE1, Duration.ofDays(1)));
    ClusterCa other = ClusterCa.create();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterCa.of(ca.rootPem(), other.keyPem()));
    assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ClusterCa.of("hello", ca.keyPem()));
    assertTrue(bad.getMessage().startsWith("the root CA certificate: "), bad.getMessage());
  }

  @Test
  void aTooShortValidityIsRefused() {
    ClusterCa ca = ClusterCa.create();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ca.issue(NodeKey.generate().csr(), NODE1, Duration.ofMinutes(5)));
    assertTrue(e.getMessage().contains("at least PT1H"), e.getMessage());
  }

  @Test
  void identitiesAreCheckedFieldByField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NodeIdentity("a,b", CertRole.WORKER, "c"));
    assertTrue(e.getMessage().startsWith("node id \"a,b\""), e.getMessage());
    IllegalArgumentException ou = assertThrows(IllegalArgumentException.class, () -> CertRole.ofOu("swarm-admin"));
    assertTrue(ou.getMessage().contains("swarm-admin"), ou.getMessage());
  }
}
