package meshplane.vxlan.userspace;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The few libc calls the TAP readers need that Netty's {@code FileDescriptor} does not offer:
 * non-blocking mode, {@code poll} and an {@code eventfd} to wake a reader. JNA direct mapping
 * (no proxy, no reflection per call), because {@code poll} runs each time a TAP runs dry.
 */
final class Posix {
  static final int F_GETFL = 3;
  static final int F_SETFL = 4;
  static final int O_NONBLOCK = 04000;
  static final int EFD_CLOEXEC = 02000000;
  static final int EFD_NONBLOCK = 04000;
  static final short POLLIN = 0x1;
  static final int EINTR = 4;
  /** {@code struct pollfd}: int fd, short events, short revents. */
  static final int POLLFD_SIZE = 8;

  static {
    Native.register("c");
  }

  private Posix() {}

  static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

  static native int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;

  static native int eventfd(int initval, int flags) throws LastErrorException;

  static native long write(int fd, long[] value, long count) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;
}
