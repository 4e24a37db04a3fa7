package meshplane.cluster.raft;

import com.alipay.remoting.ExtendedNettyChannelHandler;
import io.netty.channel.ChannelHandler;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import meshplane.pki.LiveCredentials;
import meshplane.pki.NodeCredentials;

/**
 * Mutual TLS 1.3 on a bolt connection of the Raft port: bolt asks this for the handlers in front of
 * its codec on every new channel (its {@code EXTENDED_NETTY_CHANNEL_HANDLER} option, set on one
 * server or one client, not JVM-wide), and gets a fresh {@link SslHandler} from this store's
 * managers-only context: the node's certificate presented, the peer's required and accepted only
 * when it is a manager of the cluster's root. Nothing reaches bolt's decoder before the handshake
 * is done. Bolt's own SSL options stay off: they read keystore files, and trust what the keystore
 * holds rather than a role.
 *
 * <p>Renewal: the context is the node's current one ({@link LiveCredentials}), taken per channel,
 * so a renewed certificate is presented from the next connection on; connections already open
 * keep the old one until they are closed, which renewal at 50-80% of the certificate's life
 * leaves ample time for.
 */
final class RaftTlsHandlers implements ExtendedNettyChannelHandler {
  private final LiveCredentials credentials;
  private final boolean client;

  private RaftTlsHandlers(LiveCredentials credentials, boolean client) {
    this.credentials = credentials;
    this.client = client;
  }

  /** The listener's side: a client certificate required. */
  static RaftTlsHandlers server(LiveCredentials credentials) {
    return new RaftTlsHandlers(credentials, false);
  }

  /** The side of the connections this node opens to its peers. */
  static RaftTlsHandlers client(LiveCredentials credentials) {
    return new RaftTlsHandlers(credentials, true);
  }

  @Override
  public List<ChannelHandler> frontChannelHandlers() {
    SSLEngine engine = credentials.managerOnlySslContext().createSSLEngine();
    engine.setUseClientMode(client);
    engine.setSSLParameters(client ? NodeCredentials.clientParameters() : NodeCredentials.serverParameters());
    return List.of(new SslHandler(engine));
  }

  @Override
  public List<ChannelHandler> backChannelHandlers() {
    return List.of();
  }
}
