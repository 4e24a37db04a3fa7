package meshplane.netlink.rtnl;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.charset.StandardCharsets;
import meshplane.netlink.KernelException;
import meshplane.netlink.NetNamespace;

/**
 * TUN and TAP devices, which the kernel creates through /dev/net/tun rather than rtnetlink.
 * Equivalent to {@code ip tuntap add NAME mode tap} (persistent) or to a program holding the
 * device open (non-persistent: it disappears when the descriptor closes). The device is created
 * in the namespace the descriptor was opened in.
 */
public final class TunTap implements AutoCloseable {
  /** TUN carries IP packets, TAP Ethernet frames. */
  public enum Mode { TUN, TAP }

  private static final long TUNSETIFF = 0x400454caL;
  private static final long TUNSETPERSIST = 0x400454cbL;
  private static final short IFF_TUN = 0x0001;
  private static final short IFF_TAP = 0x0002;
  private static final short IFF_NO_PI = 0x1000;
  private static final int O_RDWR = 2;
  private static final int O_CLOEXEC = 02000000;

  private interface Tun extends Library {
    Tun C = Native.load("c", Tun.class);

    int open(String path, int flags, int mode) throws LastErrorException;

    int ioctl(int fd, long request, byte[] ifreq) throws LastErrorException;

    int ioctl(int fd, long request, long arg) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private final String name;
  private final Mode mode;
  private final int fd;
  private boolean closed;

  private TunTap(String name, Mode mode, int fd) {
    this.name = name;
    this.mode = mode;
    this.fd = fd;
  }

  /**
   * Creates the device {@code name} in {@code ns} and returns the open descriptor (no packet-info
   * header). With {@code persistent} the device outlives the descriptor and is removed with
   * {@link Links#delete}.
   */
  public static TunTap create(NetNamespace ns, String name, Mode mode, boolean persistent) {
    Links.checkName(name);
    String what = mode.name().toLowerCase() + " " + name + " in netns " + ns.name();
    return ns.call(() -> {
      int fd;
      try {
        fd = Tun.C.open("/dev/net/tun", O_RDWR | O_CLOEXEC, 0);
      } catch (LastErrorException e) {
        throw new KernelException("open /dev/net/tun for", what, e.getErrorCode());
      }
      byte[] ifreq = new byte[40];
      byte[] n = name.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(n, 0, ifreq, 0, n.length);
      short flags = (short) ((mode == Mode.TAP ? IFF_TAP : IFF_TUN) | IFF_NO_PI);
      ifreq[16] = (byte) flags;
      ifreq[17] = (byte) (flags >> 8);
      try {
        Tun.C.ioctl(fd, TUNSETIFF, ifreq);
        if (persistent) {
          Tun.C.ioctl(fd, TUNSETPERSIST, 1L);
        }
      } catch (LastErrorException e) {
        Tun.C.close(fd);
        throw new KernelException("create", what, e.getErrorCode());
      }
      return new TunTap(name, mode, fd);
    });
  }

  public String name() {
    return name;
  }

  public Mode mode() {
    return mode;
  }

  /** The device's file descriptor: each read is one frame (TAP) or packet (TUN). */
  public int fd() {
    return fd;
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      Tun.C.close(fd);
    }
  }
}
