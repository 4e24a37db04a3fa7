/**
 * Pure planning for the leader and the agents (docs/control-plane.md, "Orchestration"): the
 * allocators ({@link meshplane.control.orchestrator.NetworkAllocator},
 * {@link meshplane.control.orchestrator.ServiceAllocator},
 * {@link meshplane.control.orchestrator.IpAllocator}), user-input validation
 * ({@link meshplane.control.orchestrator.ServiceSpecValidator},
 * {@link meshplane.control.orchestrator.Constraint}), the
 * {@link meshplane.control.orchestrator.Scheduler}, the
 * {@link meshplane.control.orchestrator.Orchestrator}'s plan, and
 * {@link meshplane.control.orchestrator.NodeDataplane}, a node's desired data-plane state. No IO,
 * no clock: time is a parameter and ids come from an {@link meshplane.control.orchestrator.IdGenerator}.
 */
package meshplane.control.orchestrator;
