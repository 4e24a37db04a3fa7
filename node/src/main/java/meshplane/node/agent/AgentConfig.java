package meshplane.node.agent;

import java.nio.file.Path;

/**
 * What a node's agent needs to run: the node's network namespace, its underlay address and
 * device (the VTEP), the load balancer to program ({@code auto}, {@code nftables}, {@code ipvs}),
 * and where task logs and task state folders live.
 */
public record AgentConfig(String namespace, String addr, String underlayDevice, String lb, Path logsDir, Path tasksDir) {
}
