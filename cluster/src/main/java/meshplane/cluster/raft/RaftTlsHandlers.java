package meshplane.cluster.raft;

import com.alipay.remoting.ExtendedNettyChannelHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import meshplane.nettyio.ConnectionCap;
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
 *
 * <p>Bounds (the listener's side): the connections are capped ({@link ConnectionCap}: a manager
 * peer keeps one or two, so {@value #PER_PEER} per address, {@value #TOTAL} in all and
 * {@value #PER_SECOND} new a second per address), counted and closed before their handshake
 * beyond that; a handshake not done in 10 s (Netty's {@link SslHandler} timeout) closes the
 * connection.
 */
final class RaftTlsHandlers implements ExtendedNettyChannelHandler {
  static final int PER_PEER = 16;
  static final int TOTAL = 256;
  static final int PER_SECOND = 16;

  private final LiveCredentials credentials;
  private final boolean client;
  private final ConnectionCap cap;

  private RaftTlsHandlers(LiveCredentials credentials, boolean client, ConnectionCap cap) {
    this.credentials = credentials;
    this.client = client;
    this.cap = cap;
  }

  /** The listener's side ({@code listener} names it in the cap's log): a client certificate required. */
  static RaftTlsHandlers server(LiveCredentials credentials, String listener) {
    return new RaftTlsHandlers(credentials, false,
        new ConnectionCap("Raft port " + listener, PER_PEER, TOTAL, PER_SECOND));
  }

  /** The side of the connections this node opens to its peers. */
  static RaftTlsHandlers client(LiveCredentials credentials) {
    return new RaftTlsHandlers(credentials, true, null);
  }

  @Override
  public List<ChannelHandler> frontChannelHandlers() {
    SSLEngine engine = credentials.managerOnlySslContext().createSSLEngine();
    engine.setUseClientMode(client);
    engine.setSSLParameters(client ? NodeCredentials.clientParameters() : NodeCredentials.serverParameters());
    SslHandler tls = new SslHandler(engine);
    return cap == null ? List.of(tls) : List.of(new Admission(cap), tls);
  }

  /** Admits a new connection under the listener's cap, or closes it before its handshake. */
  private static final class Admission extends ChannelInboundHandlerAdapter {
    private final ConnectionCap cap;

    Admission(ConnectionCap cap) {
      this.cap = cap;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      if (cap.admit(ctx.channel())) {
        ctx.fireChannelActive();
        ctx.pipeline().remove(this);
      }
    }
  }

  @Override
  public List<ChannelHandler> backChannelHandlers() {
    return List.of();
  }
}
