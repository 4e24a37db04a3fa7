package meshplane.control.daemon;

import java.nio.file.Path;

/**
 * How one node daemon runs: its hostname, the network namespace its data plane lives in (the
 * lab node's, e.g. {@code mp-lab-node1}), its advertise (underlay) address and device, the API
 * and Raft ports, the folder it keeps its state in, the load balancer choice
 * ({@code auto|ipvs|nftables}), and the reservations it offers (millicores, bytes).
 */
public record DaemonConfig(String hostname, String namespace, String addr, String underlayDevice, int apiPort,
    int raftPort, Path stateDir, String lb, long cpus, long memory) {
  public static final int API_PORT = 2377;
  public static final int RAFT_PORT = 2378;

  public Path raftDir() {
    return stateDir.resolve("raft");
  }

  public Path logsDir() {
    return stateDir.resolve("logs");
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
}
