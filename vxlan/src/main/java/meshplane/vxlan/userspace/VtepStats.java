package meshplane.vxlan.userspace;

import java.util.concurrent.atomic.LongAdder;

/**
 * The live counters behind {@link VtepCounters}, bumped from the event loop and from every TAP
 * reader thread at once (hence {@link LongAdder}: no contended cache line per frame).
 */
final class VtepStats {
  final LongAdder rxDatagrams = new LongAdder();
  final LongAdder rxFramesToTap = new LongAdder();
  final LongAdder txFramesFromTap = new LongAdder();
  final LongAdder txDatagrams = new LongAdder();
  final LongAdder droppedMalformed = new LongAdder();
  final LongAdder droppedForeignVni = new LongAdder();
  final LongAdder droppedNotPeer = new LongAdder();
  final LongAdder droppedUnknownDestination = new LongAdder();
  final LongAdder arpRepliesSent = new LongAdder();
  final LongAdder droppedArp = new LongAdder();
  final LongAdder droppedNotIpv4 = new LongAdder();
  final LongAdder droppedCongested = new LongAdder();
  final LongAdder tapWriteErrors = new LongAdder();
  final LongAdder sendErrors = new LongAdder();
  final LongAdder checksumsCompleted = new LongAdder();
  final LongAdder rxSuperFramesSegmented = new LongAdder();
  final LongAdder droppedOversize = new LongAdder();
  final LongAdder txBatches = new LongAdder();

  VtepCounters snapshot() {
    return new VtepCounters(rxDatagrams.sum(), rxFramesToTap.sum(), txFramesFromTap.sum(), txDatagrams.sum(),
        droppedMalformed.sum(), droppedForeignVni.sum(), droppedNotPeer.sum(), droppedUnknownDestination.sum(), arpRepliesSent.sum(),
        droppedArp.sum(), droppedNotIpv4.sum(), droppedCongested.sum(), tapWriteErrors.sum(), sendErrors.sum(),
        checksumsCompleted.sum(), rxSuperFramesSegmented.sum(), droppedOversize.sum(),
        txBatches.sum());
  }
}
