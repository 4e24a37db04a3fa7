/**
 * {@code meshctl trace}: a packet capture (pcap4j, libpcap) on a lab node's underlay interface
 * that prints one line per VXLAN packet: outer addresses and ports, the VNI, and the inner frame.
 *
 * <ul>
 *   <li>{@link meshplane.vxlan.trace.VxlanHeader}: the 8-byte VXLAN header (RFC 7348).
 *   <li>{@link meshplane.vxlan.trace.InnerFrame}: the encapsulated Ethernet frame as text.
 *   <li>{@link meshplane.vxlan.trace.VxlanPacketLine}: a captured frame in, one line out; pure,
 *       no root needed.
 *   <li>{@link meshplane.vxlan.trace.TraceSpec}: what to capture and when to stop.
 *   <li>{@link meshplane.vxlan.trace.VxlanTrace}: the capture itself, inside a network namespace.
 *   <li>{@link meshplane.vxlan.trace.TraceSummary}: what a finished capture saw.
 * </ul>
 */
package meshplane.vxlan.trace;
