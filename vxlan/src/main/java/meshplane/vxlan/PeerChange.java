package meshplane.vxlan;

/**
 * One step that brings a host's peers to the desired set: add a new peer, remove a gone one,
 * or re-point one whose MAC or VTEP changed (a task that moved host). Changes are computed by
 * {@link PeerTable#diff} and applied by the VTEP, kernel or userspace.
 */
public sealed interface PeerChange {
  Peer peer();

  record Add(Peer peer) implements PeerChange {}

  record Remove(Peer peer) implements PeerChange {}

  /** {@code peer} replaces {@code previous}: same network and IP, new MAC or VTEP. */
  record Repoint(Peer previous, Peer peer) implements PeerChange {}
}
