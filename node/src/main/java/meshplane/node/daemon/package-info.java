/**
 * The node daemon: one process per node ({@code meshctl daemon}), serving the API on port 2377,
 * running the agent while the node is in a swarm and a manager while it is one
 * (docs/control-plane.md). {@code NodeDaemon} wires the join protocol, the membership, the state
 * store and the role changes, each a class of its own.
 */
package meshplane.node.daemon;
