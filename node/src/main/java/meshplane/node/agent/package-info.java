/**
 * The node agent: a session with the managers (heartbeats carrying task reports), the assignment
 * long poll, the node's tasks taken through the pure step function {@link meshplane.node.agent.TaskStep}
 * by the {@link meshplane.node.agent.TaskSupervisor} over each task's executor controller, and
 * the routing mesh and embedded DNS reconciled to the node's desired data-plane state after every
 * change. No thread per task.
 */
package meshplane.node.agent;
