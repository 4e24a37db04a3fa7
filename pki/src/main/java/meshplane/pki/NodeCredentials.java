package meshplane.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * What a node presents and trusts on its TLS connections: its key and certificate, and the
 * cluster's root as the only trust anchor (not the JDK's CA list: a certificate of any other CA,
 * however well known, is nobody here). {@link #sslContext} is TLS 1.3 only;
 * {@link #managerOnlySslContext} also refuses any peer that is not a manager (the Raft port's);
 * {@link #serverParameters} make a listener require a client certificate.
 */
public record NodeCredentials(PrivateKey key, X509Certificate certificate, X509Certificate root) {
  public static final String PROTOCOL = "TLSv1.3";
  private static final char[] NO_PASSWORD = new char[0];

  public NodeCredentials {
    if (key == null || certificate == null || root == null) {
      throw new IllegalArgumentException("key, certificate and root are all required");
    }
  }

  /** Who these credentials speak for. */
  public NodeIdentity identity() {
    return NodeIdentity.of(certificate);
  }

  /** A TLS 1.3 context presenting this node's certificate and trusting the cluster's root only. */
  public SSLContext sslContext() {
    try {
      KeyStore anchors = KeyStore.getInstance("PKCS12");
      anchors.load(null, null);
      anchors.setCertificateEntry("cluster-root", root);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
      tmf.init(anchors);
      return context(tmf.getTrustManagers());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS context of " + certificate.getSubjectX500Principal() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * A TLS 1.3 context presenting this node's certificate and trusting only managers' certificates
   * of the cluster's root ({@link ManagerOnlyTrust}), either way: the Raft port's.
   */
  public SSLContext managerOnlySslContext() {
    return context(new TrustManager[] {ManagerOnlyTrust.of(root)});
  }

  private SSLContext context(TrustManager[] trust) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("node", key, NO_PASSWORD, new Certificate[] {certificate, root});
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, NO_PASSWORD);
      SSLContext ctx = SSLContext.getInstance(PROTOCOL);
      ctx.init(kmf.getKeyManagers(), trust, Keys.random());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS context of " + certificate.getSubjectX500Principal() + ": "
          + e.getMessage(), e);
    }
  }

  /** A listener's parameters: TLS 1.3 only, a client certificate required. */
  public static SSLParameters serverParameters() {
    SSLParameters p = new SSLParameters();
    p.setProtocols(new String[] {PROTOCOL});
    p.setNeedClientAuth(true);
    return p;
  }

  /** A client's parameters: TLS 1.3 only. */
  public static SSLParameters clientParameters() {
    SSLParameters p = new SSLParameters();
    p.setProtocols(new String[] {PROTOCOL});
    return p;
  }
}
