package meshplane.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A root rotation as the JDK's PKIX sees it: a certificate of the new root, presented with the
 * new root cross-signed by the old, is trusted by a node that trusts only the old root, by one
 * that trusts both, and by one that trusts only the new; a certificate of the old root stops
 * being trusted once the old root is dropped; a joining node pinned to the old root accepts the
 * new root's manager; the credentials of each stage make a TLS context.
 */
@Tag("unit")
class RootRotationTest {
  private final ClusterCa old = ClusterCa.create();
  private final ClusterCa next = ClusterCa.create("swarm-ca-2");
  private final X509Certificate cross = old.crossSign(next.root());
  private final NodeIdentity m1 = new NodeIdentity("m1", CertRole.MANAGER, "c1");

  private static X509TrustManager trusting(X509Certificate... roots) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    for (int i = 0; i < roots.length; i++) {
      ks.setCertificateEntry("r" + i, roots[i]);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(ks);
    for (TrustManager t : tmf.getTrustManagers()) {
      if (t instanceof X509TrustManager x) {
        return x;
      }
    }
    throw new AssertionError("no X509TrustManager");
  }

  private NodeCredentials renewedDuringRotation() {
    NodeKey k = NodeKey.generate();
    X509Certificate leaf = next.issue(k.csr(), m1, ClusterCa.NODE_VALIDITY);
    return new NodeCredentials(k.privateKey(), List.of(leaf, cross), List.of(old.root(), next.root()));
  }

  @Test
  void aNewRootsCertificateIsTrustedAtEveryStage() throws Exception {
    NodeCredentials renewed = renewedDuringRotation();
    X509Certificate[] shown = renewed.presented().toArray(X509Certificate[]::new);
    assertEquals(List.of(renewed.certificate(), cross, old.root()), List.of(shown), "the chain, in order, to the old root");
    trusting(old.root()).checkServerTrusted(shown, "ECDHE_ECDSA");
    trusting(old.root(), next.root()).checkServerTrusted(shown, "ECDHE_ECDSA");
    trusting(next.root()).checkServerTrusted(shown, "ECDHE_ECDSA");
    ManagerOnlyTrust.of(List.of(old.root())).checkClientTrusted(shown, "ECDHE_ECDSA");
    renewed.sslContext(); // a key store takes the chain
    renewed.managerOnlySslContext();
    NodeCredentials after = new NodeCredentials(renewed.key(), List.of(renewed.certificate()), List.of(next.root()));
    assertEquals(List.of(after.certificate(), next.root()), after.presented());
    trusting(next.root()).checkServerTrusted(after.presented().toArray(X509Certificate[]::new), "ECDHE_ECDSA");
  }

  @Test
  void anOldRootsCertificateIsTrustedWhileBothAreAndNotAfter() throws Exception {
    NodeCredentials before = old.credentialsFor(m1, ClusterCa.NODE_VALIDITY).withRoots(List.of(old.root(), next.root()));
    X509Certificate[] shown = before.presented().toArray(X509Certificate[]::new);
    trusting(old.root(), next.root()).checkServerTrusted(shown, "ECDHE_ECDSA");
    assertThrows(CertificateException.class, () -> trusting(next.root()).checkServerTrusted(shown, "ECDHE_ECDSA"));
  }

  @Test
  void aJoiningNodePinnedToTheOldRootAcceptsTheNewRootsManager() throws Exception {
    X509Certificate[] shown = renewedDuringRotation().presented().toArray(X509Certificate[]::new);
    JoinTrust pinned = new JoinTrust(JoinToken.generate(old.root()), "198.18.0.1:2377");
    pinned.checkServerTrusted(shown, "ECDHE_ECDSA");
    assertEquals(old.root(), pinned.root());
    JoinTrust other = new JoinTrust(JoinToken.generate(ClusterCa.create().root()), "198.18.0.1:2377");
    assertThrows(CertificateException.class, () -> other.checkServerTrusted(shown, "ECDHE_ECDSA"));
  }
}
