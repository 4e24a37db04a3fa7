package meshplane.pki;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How a node that holds nothing but a join token trusts the manager it joins through: the
 * manager's chain must carry a root whose digest is the token's, and its certificate must chain
 * to that root (PKIX). So a manager of another swarm, or a rogue one with a CA of its own, fails
 * the handshake with a message that says so, before the token is sent. The root seen is kept:
 * it becomes the node's trust anchor once it has its certificate.
 */
public final class JoinTrust implements X509TrustManager {
  private final JoinToken token;
  private final String manager;
  private volatile X509Certificate root;

  public JoinTrust(JoinToken token, String manager) {
    this.token = token;
    this.manager = manager;
  }

  /** A TLS 1.3 client context that presents no certificate and trusts as above. */
  public SSLContext sslContext() {
    try {
      SSLContext ctx = SSLContext.getInstance(NodeCredentials.PROTOCOL);
      ctx.init(null, new TrustManager[] {this}, Keys.random());
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot build the joining TLS context: " + e.getMessage(), e);
    }
  }

  /** The root the manager showed, once a handshake passed; null before. */
  public X509Certificate root() {
    return root;
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    X509Certificate named = Arrays.stream(chain).filter(token::namesRoot).findFirst().orElseThrow(() ->
        new CertificateException("the manager at " + manager + " shows a CA that is not the one the join token names"
            + " (digest " + token + "): it is another swarm's manager, or a rogue one"));
    try {
      // a path from the manager's certificate to the named root, through what else it sent (a cross-signed root)
      RootTrust.requirePath(chain[0], Arrays.asList(chain), List.of(named));
    } catch (GeneralSecurityException e) {
      throw new CertificateException("the manager at " + manager + " shows a certificate not issued by the token's CA: "
          + e.getMessage(), e);
    }
    ManagerOnlyTrust.requireManager(chain, "the manager at " + manager + ": server");
    root = named;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("a joining node trusts no clients");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
