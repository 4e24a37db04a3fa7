package meshplane.cluster.raft;

import com.alipay.sofa.jraft.rpc.ProtobufMsgFactory;
import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.PingRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.AppendEntriesRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.GetFileRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.InstallSnapshotRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.ReadIndexRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.RequestVoteRequestProcessor;
import com.alipay.sofa.jraft.rpc.impl.core.TimeoutNowRequestProcessor;

/**
 * The requests the Raft port answers: jraft's core processors only, as
 * {@code RaftRpcServerFactory.addRaftRequestProcessors} registers them (default executors) but
 * without its CLI (admin) processors. Kept: append entries (heartbeats and replication), get file
 * (snapshot copy), install snapshot, request vote (and pre-vote), ping, timeout now (leadership
 * transfer), read index. Left out: add / remove / reset / change peers, add / remove / reset
 * learners, get leader, get peers, snapshot, transfer leader. meshplane changes membership
 * through the leader's node ({@code RaftStore.addPeer}, {@code removePeer}), never through
 * jraft's {@code CliService}, so no one, not even a manager, needs them on the wire.
 */
final class RaftProcessors {
  private RaftProcessors() {}

  static void registerCore(RpcServer rpc) {
    ProtobufMsgFactory.load(); // what RaftRpcServerFactory's class initialiser does: the messages' parsers
    AppendEntriesRequestProcessor appendEntries = new AppendEntriesRequestProcessor(null);
    rpc.registerConnectionClosedEventListener(appendEntries);
    rpc.registerProcessor(appendEntries);
    rpc.registerProcessor(new GetFileRequestProcessor(null));
    rpc.registerProcessor(new InstallSnapshotRequestProcessor(null));
    rpc.registerProcessor(new RequestVoteRequestProcessor(null));
    rpc.registerProcessor(new PingRequestProcessor(null));
    rpc.registerProcessor(new TimeoutNowRequestProcessor(null));
    rpc.registerProcessor(new ReadIndexRequestProcessor(null));
  }
}
