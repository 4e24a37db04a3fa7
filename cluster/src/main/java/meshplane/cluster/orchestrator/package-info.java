/**
 * Pure planning for the leader and the agents (docs/control-plane.md, "Orchestration"): the
 * allocators ({@link meshplane.cluster.orchestrator.NetworkAllocator},
 * {@link meshplane.cluster.orchestrator.ServiceAllocator},
 * {@link meshplane.cluster.orchestrator.IpAllocator}), user-input validation
 * ({@link meshplane.cluster.orchestrator.ServiceSpecValidator},
 * {@link meshplane.cluster.orchestrator.Constraint}), the
 * {@link meshplane.cluster.orchestrator.Scheduler}, the
 * {@link meshplane.cluster.orchestrator.Orchestrator}'s plan. No IO,
 * no clock: time is a parameter and ids come from an {@link meshplane.cluster.orchestrator.IdGenerator}.
 */
package meshplane.cluster.orchestrator;
