package meshplane.vxlan.userspace;

import meshplane.vxlan.VxlanHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import java.net.InetSocketAddress;

/**
 * One inner Ethernet frame with its VNI and the remote VTEP it goes to (TX) or came from (RX):
 * the message {@link VxlanCodec} turns into a UDP datagram and back. It owns {@code content}
 * (one reference), as any {@link io.netty.buffer.ByteBufHolder} does: whoever consumes the frame
 * releases it.
 *
 * <p>Headroom: the bytes of {@code content} before its reader index belong to the frame and may
 * be overwritten. When there are at least {@value VxlanHeader#LENGTH} of them the codec writes
 * the VXLAN header there and sends the same buffer, with no copy (the TAP reader leaves that
 * room). Without headroom the codec copies into a new buffer.
 */
final class VxlanFrame extends DefaultByteBufHolder {
  private final int vni;
  private final InetSocketAddress peer;

  VxlanFrame(int vni, InetSocketAddress peer, ByteBuf content) {
    super(content);
    if (vni < 0 || vni > VxlanHeader.MAX_VNI) {
      throw new IllegalArgumentException("VXLAN frame: vni " + vni + " must be between 0 and " + VxlanHeader.MAX_VNI);
    }
    if (peer == null) {
      throw new IllegalArgumentException("VXLAN frame for vni " + vni + " needs the remote VTEP address");
    }
    this.vni = vni;
    this.peer = peer;
  }

  int vni() {
    return vni;
  }

  /** The remote VTEP: recipient of an outgoing frame, sender of an incoming one. */
  InetSocketAddress peer() {
    return peer;
  }

  @Override
  public VxlanFrame replace(ByteBuf content) {
    return new VxlanFrame(vni, peer, content);
  }

  @Override
  public VxlanFrame retain() {
    super.retain();
    return this;
  }

  @Override
  public VxlanFrame retain(int increment) {
    super.retain(increment);
    return this;
  }

  @Override
  public VxlanFrame touch() {
    super.touch();
    return this;
  }

  @Override
  public VxlanFrame touch(Object hint) {
    super.touch(hint);
    return this;
  }

  @Override
  public String toString() {
    return "VxlanFrame(vni " + vni + ", peer " + peer + ", " + content().readableBytes() + " bytes)";
  }
}
