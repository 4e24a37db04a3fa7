package meshplane.cluster.api;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import javax.net.ssl.SSLContext;
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

  private record Contexts(SSLContext source, SslContext nodes, SslContext joining) {}

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

  /** Rebuilt when the credentials were replaced (a renewal, a new role): the next handshake uses them. */
  private Contexts current() {
    SSLContext now = credentials.sslContext();
    Contexts c = contexts;
    if (c == null || c.source() != now) {
      c = new Contexts(now, wrap(now, ClientAuth.REQUIRE), wrap(now, ClientAuth.OPTIONAL));
      contexts = c;
    }
    return c;
  }

  private static SslContext wrap(SSLContext ctx, ClientAuth auth) {
    return new JdkSslContext(ctx, false, null, IdentityCipherSuiteFilter.INSTANCE, null, auth,
        new String[] {NodeCredentials.PROTOCOL}, false);
  }
}
