/**
 * The cluster's state as the Raft log replicates it: nodes, networks, services and tasks, as
 * immutable records (docs/control-plane.md). Every change is a {@link meshplane.control.model.Command}
 * applied by {@link meshplane.control.model.ClusterState#apply}; nothing else changes the state.
 */
package meshplane.control.model;
