package meshplane.mesh.state;

/**
 * A published port, as {@code docker service create -p published:target/protocol}: {@code mode}
 * is {@code ingress} (the routing mesh: every node answers) or {@code host} (only nodes with a
 * task, straight to it).
 */
public record PortSpec(String protocol, int published, int target, String mode) {}
