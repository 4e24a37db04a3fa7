package meshplane.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * The few libc calls the kernel boundary needs, mapped with JNA. Every call that can fail throws
 * {@link LastErrorException} carrying errno; callers turn that into a {@link KernelException}
 * naming the operation and the object. Buffers passed here are direct; JNA passes the address at the buffer's position.
 */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int AF_NETLINK = 16;
  int SOCK_RAW = 3;
  int SOCK_CLOEXEC = 0x80000;
  int SOL_SOCKET = 1;
  int SO_RCVBUF = 8;
  int SO_SNDBUF = 7;
  int SO_RCVTIMEO = 20;
  int SO_RCVBUFFORCE = 33;
  int SO_SNDBUFFORCE = 32;
  int SOL_NETLINK = 270;
  int NETLINK_ADD_MEMBERSHIP = 1;
  int NETLINK_CAP_ACK = 10;
  int NETLINK_EXT_ACK = 11;
  int NETLINK_GET_STRICT_CHK = 12;

  int O_RDONLY = 0;
  int O_RDWR = 2;
  int O_CREAT = 0100;
  int O_EXCL = 0200;
  int O_CLOEXEC = 02000000;

  int CLONE_NEWNET = 0x40000000;
  long MS_BIND = 4096;
  long MS_REC = 16384;
  long MS_SHARED = 1 << 20;
  long MS_PRIVATE = 1 << 18;
  int MNT_DETACH = 2;

  int socket(int domain, int type, int protocol) throws LastErrorException;

  int bind(int fd, byte[] addr, int len) throws LastErrorException;

  int getsockname(int fd, byte[] addr, int[] len) throws LastErrorException;

  int setsockopt(int fd, int level, int option, int[] value, int len) throws LastErrorException;

  int setsockopt(int fd, int level, int option, long[] value, int len) throws LastErrorException;

  long sendto(int fd, ByteBuffer buf, long len, int flags, byte[] addr, int addrLen)
      throws LastErrorException;

  long recv(int fd, ByteBuffer buf, long len, int flags) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int open(String path, int flags, int mode) throws LastErrorException;

  int setns(int fd, int nstype) throws LastErrorException;

  int unshare(int flags) throws LastErrorException;

  int mount(String source, String target, String fsType, long flags, Pointer data)
      throws LastErrorException;

  int umount2(String target, int flags) throws LastErrorException;

  int ioctl(int fd, long request, byte[] arg) throws LastErrorException;

  int ioctl(int fd, long request, long arg) throws LastErrorException;

  String strerror(int errnum);
}
