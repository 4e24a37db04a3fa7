package meshplane.cluster.raft;

import com.alipay.sofa.jraft.conf.Configuration;
import com.alipay.sofa.jraft.entity.PeerId;
import java.util.Collection;
import java.util.List;

/** Raft peer ids as the rest of meshplane spells them: {@code ip:port}. */
final class RaftPeers {
  private RaftPeers() {}

  /** {@code ip:port} as a jraft peer; {@code field} names what was being read in the error. */
  static PeerId parse(String field, String address) {
    PeerId p = new PeerId();
    if (address == null || address.isBlank() || !p.parse(address.trim()) || p.getEndpoint().getPort() <= 0
        || p.getIdx() != 0) {
      throw new IllegalArgumentException(field + ": '" + address + "' is not a Raft peer address (ip:port)");
    }
    return p;
  }

  static Configuration configuration(String field, List<String> addresses) {
    Configuration conf = new Configuration();
    for (String a : addresses) {
      conf.addPeer(parse(field, a));
    }
    return conf;
  }

  /** The peer's {@code ip:port}, without jraft's index and priority suffixes. */
  static String format(PeerId p) {
    return p.getEndpoint().toString();
  }

  static List<String> format(Collection<PeerId> peers) {
    return peers.stream().map(RaftPeers::format).sorted().toList();
  }
}
