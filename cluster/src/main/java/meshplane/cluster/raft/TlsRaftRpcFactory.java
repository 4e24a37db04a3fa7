package meshplane.cluster.raft;

import com.alipay.remoting.config.BoltGenericOption;
import com.alipay.sofa.jraft.option.RpcOptions;
import com.alipay.sofa.jraft.rpc.RpcClient;
import com.alipay.sofa.jraft.rpc.impl.BoltRaftRpcFactory;
import com.alipay.sofa.jraft.rpc.impl.BoltRpcClient;
import com.alipay.sofa.jraft.util.SPI;

/**
 * jraft's bolt RPC with mutual TLS on the clients it makes from {@link RaftTlsOptions}. jraft
 * loads one RPC factory per JVM by service loader, the highest {@link SPI#priority} first (this
 * one's is above bolt's 0; see {@code META-INF/services}), and asks it for a client config helper
 * with the options of the node (or CLI service) the client is for: so each node's client gets its
 * own node's credentials, several stores in one JVM included. Clients made from other options are
 * bolt's plain ones, which a Raft port of meshplane refuses at the handshake. Servers are made by
 * {@link RaftStore} itself, with the TLS handlers set on that server.
 */
@SPI(name = "meshplane-tls", priority = 100)
public final class TlsRaftRpcFactory extends BoltRaftRpcFactory {
  @Override
  public ConfigHelper<RpcClient> defaultJRaftClientConfigHelper(RpcOptions opts) {
    ConfigHelper<RpcClient> bolts = super.defaultJRaftClientConfigHelper(opts);
    if (!(opts instanceof RaftTlsOptions tls)) {
      return bolts;
    }
    RaftTlsHandlers handlers = RaftTlsHandlers.client(tls.raftCredentials());
    return client -> {
      if (bolts != null) {
        bolts.config(client);
      }
      ((BoltRpcClient) client).getRpcClient().option(BoltGenericOption.EXTENDED_NETTY_CHANNEL_HANDLER, handlers);
    };
  }
}
