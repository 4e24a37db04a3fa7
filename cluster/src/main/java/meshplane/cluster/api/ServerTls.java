package meshplane.cluster.api;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SslContext;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeCredentials;

/**
 * The API listener's TLS: 1.3 only, the node's current certificate, the cluster root as the only
 * trust anchor. A client certificate is required, so a peer without one fails at the handshake,
 * except on the join channel: a client that asks for {@link #JOIN_SERVER_NAME} by SNI may come
 * without one, and then reaches only the {@link Access#JOIN} routes (the root, registering with
 * a join token), as SwarmKit's node CA service takes an unauthenticated caller for those two.
 */
public final class ServerTls {
  /** The SNI name a joining node asks for. */
  public static final String JOIN_SERVER_NAME = "join.swarm.meshplane";

  private record Contexts(Object source, SslContext nodes, SslContext joining) {}

  private final LiveCredentials credentials;
  private volatile Contexts contexts;

  public ServerTls(LiveCredentials credentials) {
    this.credentials = credentials;
  }

  /** The context for a connection that asked for {@code serverName} (null: none). */
  SslContext forServerName(String serverName) {
    Contexts c = current();
    return JOIN_SERVER_NAME.equalsIgnoreCase(serverName) ? c.joining() : c.nodes();
  }

  /** Rebuilt when the credentials were replaced (a renewal, a new role, new roots): the next handshake uses them. */
  private Contexts current() {
    NodeCredentials now = credentials.credentials();
    Contexts c = contexts;
    if (c == null || c.source() != now) {
      c = new Contexts(now, build(now, ClientAuth.REQUIRE), build(now, ClientAuth.OPTIONAL));
      contexts = c;
    }
    return c;
  }

  /**
   * BoringSSL through Netty when its native library loads (much cheaper per record than the
   * JDK's engine), else the JDK's; either way TLS 1.3 only, the node's chain, the cluster's roots
   * as the only anchors (the JDK's PKIX trust manager checks the peer in both).
   */
  private SslContext build(NodeCredentials c, ClientAuth auth) {
    if (OpenSsl.isAvailable()) {
      try {
        return SslContextBuilder.forServer(c.key(), c.presented().toArray(java.security.cert.X509Certificate[]::new))
            .trustManager(c.trustManager()).clientAuth(auth).protocols(NodeCredentials.PROTOCOL)
            .sslProvider(SslProvider.OPENSSL).build();
      } catch (javax.net.ssl.SSLException e) {
        throw new IllegalStateException("cannot build the API's TLS context (BoringSSL) for "
            + c.certificate().getSubjectX500Principal() + ": " + e.getMessage(), e);
      }
    }
    return new JdkSslContext(credentials.sslContext(), false, null, IdentityCipherSuiteFilter.INSTANCE, null, auth,
        new String[] {NodeCredentials.PROTOCOL}, false);
  }

  /** Which TLS engine the listener uses: {@code BoringSSL} or {@code JDK}. */
  public static String engine() {
    return OpenSsl.isAvailable() ? "BoringSSL " + OpenSsl.versionString() : "JDK (BoringSSL not available: "
        + OpenSsl.unavailabilityCause() + ")";
  }
}
