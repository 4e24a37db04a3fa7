package meshplane.vxlan.userspace;

/**
 * A snapshot of what a {@link UserspaceVtep} has carried and dropped since it started. RX is
 * underlay to TAP, TX is TAP to underlay.
 *
 * @param rxDatagrams UDP datagrams received on the underlay socket, good or not
 * @param rxFramesToTap inner frames written to a network's TAP
 * @param txFramesFromTap Ethernet frames read from the TAPs, whatever became of them
 * @param txDatagrams VXLAN datagrams handed to the underlay socket
 * @param droppedMalformed datagrams shorter than VXLAN header + Ethernet header, or without the
 *     I flag; and frames read from a TAP shorter than an Ethernet header
 * @param droppedForeignVni datagrams whose VNI no carried network uses
 * @param droppedNotPeer datagrams for a carried network from an address that is no VTEP of one of
 *     that network's peers (anyone can send to the VXLAN port; only peers are listened to)
 * @param droppedUnknownDestination frames from a TAP to a MAC that is no peer's, or to a
 *     broadcast or multicast MAC (nothing is flooded)
 * @param arpRepliesSent ARP requests for a peer's IP answered into the TAP (the ARP proxy)
 * @param droppedArp ARP frames from a TAP the proxy does not answer: replies, gratuitous ARP,
 *     requests for an IP that is no peer's (ARP never crosses the underlay)
 * @param droppedNotIpv4 unicast frames to a peer's MAC whose ethertype is neither IPv4 nor ARP
 * @param droppedCongested frames from a TAP dropped because the underlay socket's outbound
 *     buffer was full or the channel was closing
 * @param tapWriteErrors inner frames a TAP refused (device down or gone)
 * @param sendErrors datagrams the underlay socket failed to send (and any other error the
 *     channel reported)
 * @param checksumsCompleted inner TCP/UDP checksums a sender left partial (checksum offload
 *     over a veth underlay) and the VTEP finished, see {@code PartialChecksums}
 * @param rxSuperFramesSegmented inner TCP super-segments (a sender's GSO, passed whole by a veth
 *     underlay) cut into MTU-sized segments before the TAP; each segment counts in
 *     {@code rxFramesToTap}
 * @param droppedOversize inner frames larger than the network's MTU that are no TCP
 *     super-segment, dropped
 * @param txBatches batches of frames the TAP readers handed to the event loop, each written and
 *     flushed at once ({@code txFramesFromTap} forwarded / {@code txBatches} is the mean batch)
 */
public record VtepCounters(
    long rxDatagrams,
    long rxFramesToTap,
    long txFramesFromTap,
    long txDatagrams,
    long droppedMalformed,
    long droppedForeignVni,
    long droppedNotPeer,
    long droppedUnknownDestination,
    long arpRepliesSent,
    long droppedArp,
    long droppedNotIpv4,
    long droppedCongested,
    long tapWriteErrors,
    long sendErrors,
    long checksumsCompleted,
    long rxSuperFramesSegmented,
    long droppedOversize,
    long txBatches) {}
