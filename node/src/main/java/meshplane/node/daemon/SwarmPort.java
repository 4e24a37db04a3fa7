package meshplane.node.daemon;

import java.net.InetSocketAddress;
import meshplane.cluster.api.ApiServer;
import meshplane.cluster.api.Router;
import meshplane.cluster.api.ServerTls;
import meshplane.pki.LiveCredentials;

/**
 * The node's API on TCP port 2377, over mutual TLS with its certificate: open while the node is
 * in a swarm (it has a certificate then), closed when it leaves. Outside a swarm the daemon has
 * only its local socket, as a Docker engine not in swarm mode listens on no swarm port.
 */
final class SwarmPort implements AutoCloseable {
  private final Router router;
  private final InetSocketAddress bind;
  private ApiServer server;

  SwarmPort(Router router, InetSocketAddress bind) {
    this.router = router;
    this.bind = bind;
  }

  synchronized void open(LiveCredentials credentials) {
    if (server == null) {
      server = ApiServer.tcp(router, bind, new ServerTls(credentials));
      org.slf4j.LoggerFactory.getLogger(SwarmPort.class).info("serving the API on {} over mutual TLS ({})", server.address(),
          ServerTls.engine());
    }
  }

  /** The address served, or null while closed. */
  synchronized InetSocketAddress address() {
    return server == null ? null : server.address();
  }

  @Override
  public synchronized void close() {
    if (server != null) {
      server.close();
      server = null;
    }
  }
}
