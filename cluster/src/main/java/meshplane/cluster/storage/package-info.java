/**
 * Files on disk that must survive a crash: {@link meshplane.cluster.storage.DurableFile} writes
 * one whole or not at all (the Raft snapshot's state, the node's own state and certificates).
 */
package meshplane.cluster.storage;
