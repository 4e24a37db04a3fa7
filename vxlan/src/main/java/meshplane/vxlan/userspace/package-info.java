/**
 * The userspace VTEP: VXLAN (RFC 7348) in Java on Netty, in place of the kernel's VXLAN device,
 * interoperating with it.
 *
 * <pre>
 *  sandbox ns                      host ns
 *  br0 ── mp-tap0 ─read─▶ TapReader ─batch─▶ Uplink ─▶ event loop: VxlanCodec ─▶ UDP local:4789 ─▶ underlay
 *              ◀─write── VtepHandler ◀─ VxlanCodec ◀─ event loop ◀─ UDP local:4789 ◀─ underlay
 * </pre>
 *
 * <ul>
 *   <li>{@link meshplane.vxlan.userspace.UserspaceVtep}: the public face (start, networks, peers,
 *       counters, close) and the wiring.
 *   <li>Codec: {@code VxlanHeader} (the 8 bytes), {@code VxlanFrame} (a frame with its VNI and
 *       remote VTEP), {@code VxlanCodec} (a stateless, sharable handler; knows no transport).
 *   <li>Handler: {@code VtepHandler} (RX: VNI to TAP), {@code TapReader} (TX: ARP proxy, peer
 *       lookup, batching), {@code Uplink} (batches onto the event loop), {@code ArpProxy},
 *       {@code PeerRoutes} and {@code NetworkPort} (per-network state), {@code Networks}.
 *   <li>Transport: {@code Transport}, the one place io_uring or epoll is chosen.
 *   <li>What a NIC would have done: {@code PartialChecksums}, {@code TcpSegmentation}.
 *   <li>Kernel boundary: {@code TapDevice} (Netty's native {@code FileDescriptor}), {@code Posix}
 *       (JNA: {@code fcntl}, {@code poll}, {@code eventfd}).
 * </ul>
 *
 * Semantics are the kernel VTEP's with {@code nolearning proxy} and static FDB / neighbour
 * entries: ARP for a peer is answered locally and never crosses the underlay, IPv4 to a peer's
 * MAC goes to that peer's VTEP, nothing is flooded or learnt, any VTEP may send any carried VNI.
 * Unlike the kernel, datagrams leave from the bound port (no per-flow source port for ECMP).
 */
package meshplane.vxlan.userspace;
