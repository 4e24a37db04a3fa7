/**
 * The node daemon: one process per node ({@code meshctl daemon}), serving the API on port 2377,
 * running the agent always and a manager when the node is one (docs/control-plane.md).
 */
package meshplane.node.daemon;
