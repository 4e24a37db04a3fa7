/**
 * The cluster's state as the Raft log replicates it: nodes, networks, services and tasks, as
 * immutable records (docs/control-plane.md). Every change is a {@link meshplane.cluster.model.Command}
 * applied by {@link meshplane.cluster.model.ClusterState#apply}; nothing else changes the state.
 */
package meshplane.cluster.model;
