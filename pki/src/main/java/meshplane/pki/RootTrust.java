package meshplane.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/** The cluster's roots as the JDK's PKIX sees them: the only anchors, for a handshake or a chain checked by hand. */
final class RootTrust {
  private RootTrust() {}

  /** The JDK's PKIX trust manager with {@code roots} as its only anchors. */
  static X509ExtendedTrustManager pkix(List<X509Certificate> roots) throws GeneralSecurityException, IOException {
    KeyStore anchors = KeyStore.getInstance("PKCS12");
    anchors.load(null, null);
    for (int i = 0; i < roots.size(); i++) {
      anchors.setCertificateEntry("cluster-root-" + i, roots.get(i));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
    tmf.init(anchors);
    for (TrustManager t : tmf.getTrustManagers()) {
      if (t instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
  }

  /**
   * A path from {@code leaf} to one of {@code roots}, through any of {@code intermediates} (a
   * cross-signed root): throws when there is none.
   */
  static void requirePath(X509Certificate leaf, Collection<X509Certificate> intermediates, Collection<X509Certificate> roots)
      throws GeneralSecurityException {
    X509CertSelector target = new X509CertSelector();
    target.setCertificate(leaf);
    PKIXBuilderParameters p = new PKIXBuilderParameters(roots.stream().map(r -> new TrustAnchor(r, null))
        .collect(Collectors.toSet()), target);
    p.setRevocationEnabled(false);
    p.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(intermediates)));
    CertPathBuilder.getInstance("PKIX").build(p);
  }
}
