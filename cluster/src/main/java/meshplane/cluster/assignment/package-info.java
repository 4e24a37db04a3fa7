/**
 * Per-node assignments (docs/architecture.md, "The per-node assignment"): what the dispatcher
 * sends one node, computed from the cluster state: the node's own tasks with what it needs to
 * run them, and the slice of the data plane it serves (its networks, their peers, the services
 * on them with their backends). Never join tokens, never the spec of another node's task. Pure.
 */
package meshplane.cluster.assignment;
