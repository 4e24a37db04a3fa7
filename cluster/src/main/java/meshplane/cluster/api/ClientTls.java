package meshplane.cluster.api;

import java.io.IOException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import meshplane.pki.CertRole;
import meshplane.pki.JoinTrust;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeCredentials;
import meshplane.pki.NodeIdentity;

/**
 * How an API client speaks TLS 1.3: as a node or an administrator's client (its certificate,
 * the cluster root as the only trust anchor, and the server must be a node of the role asked
 * for: a worker cannot pose as a manager to another worker), or as a joining node (no
 * certificate, the manager's root pinned by the join token's digest, on the join channel).
 */
public final class ClientTls {
  private final java.util.function.Supplier<SSLContext> context;
  private final CertRole serverRole;
  private final boolean joining;

  private ClientTls(java.util.function.Supplier<SSLContext> context, CertRole serverRole, boolean joining) {
    this.context = context;
    this.serverRole = serverRole;
    this.joining = joining;
  }

  /** With the node's current certificate, to a server that must hold {@code serverRole} (null: any node). */
  public static ClientTls of(LiveCredentials credentials, CertRole serverRole) {
    return new ClientTls(credentials::sslContext, serverRole, false);
  }

  /** With fixed credentials (meshctl's --tlscert), to a manager. */
  public static ClientTls of(NodeCredentials credentials) {
    SSLContext ctx = credentials.sslContext();
    return new ClientTls(() -> ctx, CertRole.MANAGER, false);
  }

  /** A joining node's: no certificate, the root pinned by the token, the join channel. */
  public static ClientTls joining(JoinTrust trust) {
    SSLContext ctx = trust.sslContext();
    return new ClientTls(() -> ctx, CertRole.MANAGER, true);
  }

  /** The TLS context in use now (a renewal makes another): what pooled connections are kept by. */
  Object currentContext() {
    return context.get();
  }

  /** Wraps a connected socket and shakes hands; the server's role is checked. */
  SSLSocket handshake(java.net.Socket plain, String host, int port) throws IOException {
    SSLSocket s = (SSLSocket) context.get().getSocketFactory().createSocket(plain, host, port, true);
    SSLParameters p = NodeCredentials.clientParameters();
    if (joining) {
      p.setServerNames(List.of(new SNIHostName(ServerTls.JOIN_SERVER_NAME)));
    }
    s.setSSLParameters(p);
    s.startHandshake();
    checkServer(s);
    return s;
  }

  private void checkServer(SSLSocket s) throws IOException {
    Certificate[] chain;
    try {
      chain = s.getSession().getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      throw new IOException("the server showed no certificate", e);
    }
    NodeIdentity id;
    try {
      id = NodeIdentity.of((X509Certificate) chain[0]);
    } catch (IllegalArgumentException e) {
      throw new IOException("the server's certificate names no node: " + e.getMessage(), e);
    }
    if (id.role() == CertRole.CLIENT || serverRole != null && id.role() != serverRole) {
      throw new IOException("the server is " + id.role().ou() + " " + id.nodeId() + ", "
          + (serverRole == null ? "a node" : serverRole.ou()) + " expected");
    }
  }
}
