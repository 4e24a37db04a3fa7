/**
 * A manager: the Raft store, the API's cluster routes, the dispatcher (agents' heartbeats, nodes
 * going down) and, on the leader, the orchestrator loop. Every write is decided and proposed on
 * one thread of the leader ({@link meshplane.cluster.manager.LeaderWriter}), so allocations see
 * every earlier write.
 */
package meshplane.cluster.manager;
