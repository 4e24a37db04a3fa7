package meshplane.vxlan.userspace;

import com.sun.jna.LastErrorException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.unix.FileDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import meshplane.netlink.KernelException;
import meshplane.netlink.rtnl.TunTap;

/**
 * A TAP descriptor as the VTEP uses it: one frame per read or write, non-blocking, through
 * Netty's native {@link FileDescriptor} (no copy into Java arrays). It owns the {@link TunTap}:
 * {@link #close} closes the descriptor (a non-persistent TAP disappears with it). The Netty
 * wrapper is never closed itself, so the descriptor is closed exactly once.
 */
final class TapDevice implements AutoCloseable {
  private final TunTap tap;
  private final FileDescriptor fd;
  private final String what;

  /** Takes {@code tap} and switches its descriptor to non-blocking mode. */
  TapDevice(TunTap tap, String networkId) {
    this.tap = tap;
    this.what = "tap " + tap.name() + " of network " + networkId;
    if (tap.mode() != TunTap.Mode.TAP) {
      throw new IllegalArgumentException(what + ": must be a TAP (Ethernet frames), not " + tap.mode());
    }
    try {
      int flags = Posix.fcntl(tap.fd(), Posix.F_GETFL, 0);
      Posix.fcntl(tap.fd(), Posix.F_SETFL, flags | Posix.O_NONBLOCK);
    } catch (LastErrorException e) {
      throw new KernelException("set O_NONBLOCK on", what, e.getErrorCode());
    }
    this.fd = new FileDescriptor(tap.fd());
  }

  int fd() {
    return tap.fd();
  }

  /**
   * Reads one frame into {@code buf} (direct) from index 0; returns its length, or 0 when no
   * frame is waiting.
   */
  int read(ByteBuffer buf) throws IOException {
    int n = fd.read(buf, 0, buf.capacity());
    if (n < 0) {
      throw new IOException("read " + what + ": end of file (the device is gone)");
    }
    return n;
  }

  /** Writes one frame: {@code length} bytes at index 0 of {@code buf} (direct). */
  boolean write(ByteBuffer buf, int length) throws IOException {
    return fd.write(buf, 0, length) == length;
  }

  /** Writes the readable bytes of {@code frame} as one frame, without moving its indexes. */
  boolean write(ByteBuf frame) throws IOException {
    int length = frame.readableBytes();
    if (frame.hasMemoryAddress()) {
      return fd.writeAddress(frame.memoryAddress(), frame.readerIndex(), frame.writerIndex()) == length;
    }
    if (frame.isDirect() && frame.nioBufferCount() == 1) {
      ByteBuffer nio = frame.internalNioBuffer(frame.readerIndex(), length);
      return fd.write(nio, nio.position(), nio.limit()) == length;
    }
    ByteBuffer copy = ByteBuffer.allocateDirect(length);
    frame.getBytes(frame.readerIndex(), copy);
    return fd.write(copy, 0, length) == length;
  }

  String describe() {
    return what;
  }

  @Override
  public void close() {
    tap.close();
  }
}
