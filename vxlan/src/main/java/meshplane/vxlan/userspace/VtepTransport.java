package meshplane.vxlan.userspace;

/**
 * The Netty transport the userspace VTEP's UDP channel runs on. Chosen once, when the VTEP
 * starts; {@link UserspaceVtep#transport()} reports what was chosen.
 */
public enum VtepTransport {
  /** io_uring where Netty says it is available on this kernel, else epoll. */
  AUTO,
  /** io_uring, or fail to start naming why Netty cannot use it. */
  IO_URING,
  /** epoll, or fail to start naming why Netty cannot use it. */
  EPOLL
}
