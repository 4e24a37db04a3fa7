package meshplane.node.daemon;

import java.nio.file.Path;
import meshplane.cluster.raft.RaftStoreConfig;
import meshplane.node.agent.AgentConfig;
import meshplane.pki.LiveCredentials;

/**
 * How one node daemon runs: its hostname, the network namespace its data plane lives in (the
 * lab node's, e.g. {@code mp-lab-node1}), its advertise (underlay) address and device, the API
 * and Raft ports, the folder it keeps its state in, the load balancer choice
 * ({@code auto|ipvs|nftables}), the reservations it offers (millicores, bytes), and the folder
 * of its tasks' logs, {@code logsDir}: apart from the state folder (and so from the Raft data
 * in it), each log bounded by its rotation.
 */
public record DaemonConfig(String hostname, String namespace, String addr, String underlayDevice, int apiPort,
    int raftPort, Path stateDir, Path socket, String lb, long cpus, long memory, Path logsDir) {
  /** Where a daemon keeps its tasks' logs unless told: docker keeps them under /var/lib/docker/containers. */
  public static final Path DEFAULT_LOGS_DIR = Path.of("/var/log/meshplane/tasks");

  public static final int API_PORT = 2377;
  public static final int RAFT_PORT = 2378;

  public Path raftDir() {
    return stateDir.resolve("raft");
  }

  public Path tasksDir() {
    return stateDir.resolve("tasks");
  }

  public String apiAddress() {
    return addr + ":" + apiPort;
  }

  public String raftAddress() {
    return addr + ":" + raftPort;
  }

  /**
   * The Raft store of this node as a manager: founding a cluster (swarm init) or joining one, its
   * port mutual TLS with {@code credentials} (a manager's).
   */
  public RaftStoreConfig raftStore(boolean founding, LiveCredentials credentials) {
    return founding ? RaftStoreConfig.founding(raftDir(), raftAddress(), credentials)
        : RaftStoreConfig.joining(raftDir(), raftAddress(), credentials);
  }

  /** What the node's agent needs of this configuration. */
  public AgentConfig agent() {
    return new AgentConfig(namespace, addr, underlayDevice, lb, logsDir(), tasksDir());
  }
}
