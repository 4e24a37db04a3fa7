package meshplane.netlink;

/** A netlink request the kernel refused; carries the extended-ack offset as well as its text. */
public class NetlinkException extends KernelException {
  private static final long serialVersionUID = 1L;
  private final int attributeOffset;

  public NetlinkException(String operation, String object, NetlinkError error) {
    super(operation, object, error.errno(), error.message());
    this.attributeOffset = error.offset();
  }

  /** Byte offset in the request of the attribute the kernel objected to, or -1. */
  public int attributeOffset() {
    return attributeOffset;
  }
}
