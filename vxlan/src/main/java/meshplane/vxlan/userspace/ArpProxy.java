package meshplane.vxlan.userspace;

import java.nio.ByteBuffer;

/**
 * The ARP proxy the kernel's VXLAN device runs with {@code proxy} (its {@code arp_reduce}): an
 * ARP request from a local endpoint for the IP of a peer is answered on the spot with the
 * peer's MAC, so ARP never crosses the underlay. The reply is what the kernel's
 * {@code arp_create(ARPOP_REPLY, ...)} builds:
 *
 * <pre>
 *  Ethernet: dst = requester's MAC (ARP sha)  src = peer MAC  type 0x0806
 *  ARP:      htype 1  ptype 0x0800  hlen 6  plen 4  op 2 (reply)
 *            sha = peer MAC  spa = peer IP (the request's tpa)
 *            tha = requester's MAC  tpa = requester's IP (the request's spa)
 * </pre>
 *
 * 42 bytes, no padding (the kernel adds none either). Not answered: anything but an Ethernet /
 * IPv4 ARP request, requests for loopback or multicast addresses (as the kernel), gratuitous ARP
 * (sender IP = target IP) and requests for an IP that is no peer's.
 */
final class ArpProxy {
  static final int ETHERTYPE_ARP = 0x0806;
  static final int ETHERTYPE_IPV4 = 0x0800;
  /** Ethernet header + ARP for Ethernet / IPv4. */
  static final int FRAME_LENGTH = 42;

  private static final int HTYPE_ETHER = 1;
  private static final int HTYPE_IEEE802 = 6;
  private static final int OP_REQUEST = 1;
  private static final int OP_REPLY = 2;
  private static final int ARP = 14;
  private static final int SHA = ARP + 8;
  private static final int SPA = ARP + 14;
  private static final int THA = ARP + 18;
  private static final int TPA = ARP + 24;

  private ArpProxy() {}

  /**
   * If the {@code length}-byte Ethernet frame at index 0 of {@code frame} (ethertype ARP) is a
   * request the proxy answers from {@code peers}, writes the reply at index 0 of {@code reply}
   * and returns its length; otherwise returns 0 and writes nothing. Positions and limits of
   * both buffers are not used or moved.
   */
  static int answer(ByteBuffer frame, int length, PeerRoutes peers, ByteBuffer reply) {
    if (length < FRAME_LENGTH
        || frame.getShort(12) != ETHERTYPE_ARP
        || (frame.getShort(ARP) != HTYPE_ETHER && frame.getShort(ARP) != HTYPE_IEEE802)
        || frame.getShort(ARP + 2) != ETHERTYPE_IPV4
        || frame.get(ARP + 4) != 6
        || frame.get(ARP + 5) != 4
        || frame.getShort(ARP + 6) != OP_REQUEST) {
      return 0;
    }
    int senderIp = frame.getInt(SPA);
    int targetIp = frame.getInt(TPA);
    if ((targetIp >>> 24) == 127 || (targetIp >>> 28) == 0xe || senderIp == targetIp) {
      return 0;
    }
    long peerMac = peers.macFor(targetIp);
    if (peerMac < 0) {
      return 0;
    }
    long requesterMac = mac(frame, SHA);
    putMac(reply, 0, requesterMac);
    putMac(reply, 6, peerMac);
    reply.putShort(12, (short) ETHERTYPE_ARP);
    reply.putShort(ARP, (short) HTYPE_ETHER);
    reply.putShort(ARP + 2, (short) ETHERTYPE_IPV4);
    reply.put(ARP + 4, (byte) 6);
    reply.put(ARP + 5, (byte) 4);
    reply.putShort(ARP + 6, (short) OP_REPLY);
    putMac(reply, SHA, peerMac);
    reply.putInt(SPA, targetIp);
    putMac(reply, THA, requesterMac);
    reply.putInt(TPA, senderIp);
    return FRAME_LENGTH;
  }

  /** The 48-bit MAC at {@code index}, as {@link PeerRoutes#mac} keys it. */
  static long mac(ByteBuffer b, int index) {
    return ((long) (b.getShort(index) & 0xffff) << 32) | (b.getInt(index + 2) & 0xffffffffL);
  }

  private static void putMac(ByteBuffer b, int index, long mac) {
    b.putShort(index, (short) (mac >>> 32));
    b.putInt(index + 2, (int) mac);
  }
}
