package meshplane.mesh.state;

/** A remote endpoint (a task, or another node's load-balancer address) behind VTEP {@code vtep}. */
public record PeerSpec(String network, String ip, String mac, String vtep) {}
