package meshplane.vxlan;

/** How a host carries an overlay network over the underlay. */
public enum VtepKind {
  /** The kernel's VXLAN device in the network's sandbox (ARP proxy, static FDB). */
  KERNEL,
  /** A TAP device in the sandbox and meshplane's own VXLAN encapsulation on a Netty UDP channel. */
  USERSPACE
}
