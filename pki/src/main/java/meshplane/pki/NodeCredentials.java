package meshplane.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;

/**
 * What a node presents and trusts on its TLS connections: its key, its certificate chain (the
 * certificate, then any intermediate: the new root cross-signed by the old one while the
 * cluster's root is being rotated), and the cluster's roots as the only trust anchors (one, or
 * the old and the new during a rotation; not the JDK's CA list: a certificate of any other CA,
 * however well known, is nobody here). It presents its chain and the root that issued it (a
 * joining node finds the root its token names there). {@link #sslContext} is TLS 1.3 only;
 * {@link #managerOnlySslContext} also refuses any peer that is not a manager (the Raft port's);
 * {@link #serverParameters} make a listener require a client certificate.
 */
public record NodeCredentials(PrivateKey key, List<X509Certificate> chain, List<X509Certificate> roots) {
  public static final String PROTOCOL = "TLSv1.3";
  private static final char[] NO_PASSWORD = new char[0];

  public NodeCredentials {
    if (key == null || chain == null || chain.isEmpty() || roots == null || roots.isEmpty()) {
      throw new IllegalArgumentException("key, certificate and root are all required");
    }
    chain = List.copyOf(chain);
    roots = List.copyOf(roots);
  }

  /** One certificate issued by one root. */
  public NodeCredentials(PrivateKey key, X509Certificate certificate, X509Certificate root) {
    this(key, certificate == null ? List.of() : List.of(certificate), root == null ? List.of() : List.of(root));
  }

  /** The node's own certificate (the chain's first). */
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The same key and chain trusting {@code newRoots} (a rotation begun or finished). */
  public NodeCredentials withRoots(List<X509Certificate> newRoots) {
    return new NodeCredentials(key, chain, newRoots);
  }

  /** The JDK's PKIX trust manager with the cluster's roots as the only anchors (for a TLS engine built elsewhere). */
  public javax.net.ssl.X509TrustManager trustManager() {
    try {
      return RootTrust.pkix(roots);
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the trust of " + certificate().getSubjectX500Principal() + ": "
          + e.getMessage(), e);
    }
  }

  /** Throws, saying why, unless the certificate leads (through the chain) to one of the roots. */
  public void requireChainToRoots() {
    try {
      RootTrust.requirePath(certificate(), chain, roots);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("the certificate of " + certificate().getSubjectX500Principal()
          + " does not chain to the cluster's roots: " + e.getMessage(), e);
    }
  }

  /** Who these credentials speak for. */
  public NodeIdentity identity() {
    return NodeIdentity.of(certificate());
  }

  /** A TLS 1.3 context presenting this node's certificate and trusting the cluster's root only. */
  public SSLContext sslContext() {
    try {
      return context(new TrustManager[] {RootTrust.pkix(roots)});
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS context of " + certificate().getSubjectX500Principal() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * A TLS 1.3 context presenting this node's certificate and trusting only managers' certificates
   * of the cluster's root ({@link ManagerOnlyTrust}), either way: the Raft port's.
   */
  public SSLContext managerOnlySslContext() {
    return context(new TrustManager[] {ManagerOnlyTrust.of(roots)});
  }

  private SSLContext context(TrustManager[] trust) {
    try {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      keys.load(null, null);
      keys.setKeyEntry("node", key, NO_PASSWORD, presented().toArray(Certificate[]::new));
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, NO_PASSWORD);
      SSLContext ctx = SSLContext.getInstance(PROTOCOL);
      ctx.init(kmf.getKeyManagers(), trust, Keys.random());
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build the TLS context of " + certificate().getSubjectX500Principal() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * What the node shows its peers: its chain, then the root among its roots that issued the
   * chain's last certificate (a joining node looks for the root its token names there). In
   * order, each certificate issued by the next, as a key store holds a chain.
   */
  public List<X509Certificate> presented() {
    List<X509Certificate> out = new ArrayList<>(chain);
    X509Certificate last = chain.get(chain.size() - 1);
    issuerOf(last).filter(r -> !chain.contains(r)).ifPresent(out::add);
    return out;
  }

  /** The root among these credentials' roots that signed {@code cert}, if one did. */
  public java.util.Optional<X509Certificate> issuerOf(X509Certificate cert) {
    return roots.stream().filter(r -> signs(r, cert)).findFirst();
  }

  /**
   * The credentials in the files {@code key} (PKCS#8), {@code chain} (the certificate, then any
   * intermediate) and {@code roots} (PEM): a node's state folder, meshctl's --tls* files.
   */
  public static NodeCredentials read(java.nio.file.Path key, java.nio.file.Path chain, java.nio.file.Path roots) {
    try {
      return new NodeCredentials(Pem.privateKey(java.nio.file.Files.readString(key), key.toString()),
          Pem.certificates(java.nio.file.Files.readString(chain), chain.toString()),
          Pem.certificates(java.nio.file.Files.readString(roots), roots.toString()));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the credentials " + key + ", " + chain + ", " + roots, e);
    }
  }

  private static boolean signs(X509Certificate issuer, X509Certificate cert) {
    try {
      cert.verify(issuer.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
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
