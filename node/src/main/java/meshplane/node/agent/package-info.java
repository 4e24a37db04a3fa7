/**
 * The node agent: a session with the managers (heartbeats carrying task reports), the state long
 * poll, the node's tasks run through executors, and the routing mesh and embedded DNS reconciled
 * to the node's desired data-plane state after every change.
 */
package meshplane.node.agent;
