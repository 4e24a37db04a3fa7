package meshplane.netlink;

import java.nio.ByteBuffer;

/**
 * The content of an NLMSG_ERROR message (an ACK when errno is 0) or of an NLMSG_DONE that
 * carries an error: errno, the sequence number of the request it answers, and the extended-ack
 * text and offset when the kernel sent them.
 */
public record NetlinkError(int errno, int requestSeq, String message, int offset) {

  /** Decodes an NLMSG_ERROR payload: s32 -errno, the original header (and body unless capped), TLVs. */
  public static NetlinkError ofError(Message m) {
    ByteBuffer b = m.body();
    int err = b.getInt(0);
    int origLen = b.getInt(4);
    int origSeq = b.getInt(12);
    // The kernel echoes only the request's header when capped (always for a plain ACK).
    int tlvStart = 4 + (m.hasFlag(Nlmsg.NLM_F_CAPPED) ? Nlmsg.HDRLEN : origLen);
    return withTlvs(-err, origSeq, m, b, tlvStart);
  }

  /** Decodes the error a failed dump reports in its NLMSG_DONE. */
  public static NetlinkError ofDone(Message m) {
    ByteBuffer b = m.body();
    int err = b.remaining() >= 4 ? b.getInt(0) : 0;
    return withTlvs(-err, m.seq(), m, b, 4);
  }

  private static NetlinkError withTlvs(int errno, int seq, Message m, ByteBuffer b, int tlvStart) {
    String text = "";
    int offset = -1;
    if (m.hasFlag(Nlmsg.NLM_F_ACK_TLVS) && tlvStart < b.limit()) {
      b.position(Nlmsg.align(tlvStart));
      Attributes tlvs = Attributes.parse(b);
      text = tlvs.string(Nlmsg.NLMSGERR_ATTR_MSG).orElse("");
      offset = tlvs.u32(Nlmsg.NLMSGERR_ATTR_OFFS).orElse(-1);
    }
    return new NetlinkError(errno, seq, text, offset);
  }

  public boolean isAck() {
    return errno == 0;
  }
}
