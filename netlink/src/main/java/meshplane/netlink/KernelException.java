package meshplane.netlink;

/**
 * A kernel call failed. Names the operation ("add link"), the object ("veth mp-a0 in netns
 * mpt-1"), errno by name and, where the kernel sent one, its extended-ack text.
 */
public class KernelException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String operation;
  private final String object;
  private final int errno;
  private final String kernelMessage;

  public KernelException(String operation, String object, int errno, String kernelMessage) {
    super(format(operation, object, errno, kernelMessage));
    this.operation = operation;
    this.object = object;
    this.errno = errno;
    this.kernelMessage = kernelMessage == null ? "" : kernelMessage;
  }

  public KernelException(String operation, String object, int errno) {
    this(operation, object, errno, null);
  }

  private static String format(String operation, String object, int errno, String kernelMessage) {
    StringBuilder sb = new StringBuilder();
    sb.append(operation).append(' ').append(object).append(": ")
        .append(Errno.name(errno)).append(" (").append(Errno.describe(errno)).append(')');
    if (kernelMessage != null && !kernelMessage.isEmpty()) {
      sb.append(": kernel says \"").append(kernelMessage).append('"');
    }
    return sb.toString();
  }

  public String operation() {
    return operation;
  }

  public String object() {
    return object;
  }

  /** The positive errno value. */
  public int errno() {
    return errno;
  }

  public String errnoName() {
    return Errno.name(errno);
  }

  /** The kernel's extended-ack message, empty when it sent none. */
  public String kernelMessage() {
    return kernelMessage;
  }
}
