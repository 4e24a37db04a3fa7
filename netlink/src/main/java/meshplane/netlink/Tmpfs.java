package meshplane.netlink;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A tmpfs mounted on a folder, for runtime state that lives as long as a host (what /run is on
 * most Linux systems; on some, /run is a folder of the root file system, where creating and
 * removing thousands of small files per second is slow). Mounted in the caller's mount
 * namespace with {@code nosuid,nodev} and a size limit; unmounted lazily, so a process still
 * holding a file in it does not keep the folder busy.
 */
public final class Tmpfs {
  private static final long MS_NOSUID = 2;
  private static final long MS_NODEV = 4;
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

  private Tmpfs() {}

  /**
   * Mounts a tmpfs named {@code source} (what {@code findmnt} shows as its source) on {@code dir},
   * created if missing, unless {@code dir} is a mount point already. Returns whether it mounted.
   *
   * @throws KernelException naming the folder and errno when the kernel refuses
   */
  public static boolean mount(String source, Path dir, long sizeBytes) {
    if (sizeBytes < 1 << 20) {
      throw new IllegalArgumentException("tmpfs size " + sizeBytes + " for " + dir + ": must be at least 1 MiB");
    }
    Path abs = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(abs);
    } catch (IOException e) {
      throw new UncheckedIOException("mount tmpfs on " + abs + ": cannot create the folder", e);
    }
    if (isMountPoint(abs)) {
      return false;
    }
    byte[] options = ("size=" + sizeBytes + ",mode=0755").getBytes(StandardCharsets.US_ASCII);
    Memory data = new Memory(options.length + 1L);
    data.write(0, options, 0, options.length);
    data.setByte(options.length, (byte) 0);
    try {
      LibC.INSTANCE.mount(source, abs.toString(), "tmpfs", MS_NOSUID | MS_NODEV, data);
    } catch (LastErrorException e) {
      throw new KernelException("mount tmpfs " + source + " on", abs.toString(), e.getErrorCode());
    }
    return true;
  }

  /**
   * {@link #mount}, then makes the mount private: nothing mounted in it propagates to or from any
   * other mount (needed to bind a namespace file in it, as {@code unshare --mount=FILE} does).
   */
  public static boolean mountPrivate(String source, Path dir, long sizeBytes) {
    if (!mount(source, dir, sizeBytes)) {
      return false;
    }
    String abs = dir.toAbsolutePath().normalize().toString();
    try {
      LibC.INSTANCE.mount("", abs, null, LibC.MS_PRIVATE, null);
    } catch (LastErrorException e) {
      unmount(source, dir);
      throw new KernelException("make private the tmpfs " + source + " on", abs, e.getErrorCode());
    }
    return true;
  }

  /**
   * Unmounts (lazily) the tmpfs of {@code source} on {@code dir}, with whatever is mounted inside
   * it; nothing when no such mount is there (another file system on {@code dir} is left alone).
   * Returns whether it unmounted.
   */
  public static boolean unmount(String source, Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (!mounted(source, abs)) {
      return false;
    }
    try {
      LibC.INSTANCE.umount2(abs.toString(), LibC.MNT_DETACH);
    } catch (LastErrorException e) {
      throw new KernelException("unmount tmpfs " + source + " from", abs.toString(), e.getErrorCode());
    }
    return true;
  }

  /** Whether {@code dir} is a mount point in the caller's mount namespace. */
  public static boolean isMountPoint(Path dir) {
    String target = escape(dir.toAbsolutePath().normalize().toString());
    return mountInfo().stream().map(l -> l.split(" ")).anyMatch(f -> f.length > 4 && f[4].equals(target));
  }

  /** Whether a tmpfs of {@code source} is mounted on {@code dir} in the caller's mount namespace. */
  public static boolean mounted(String source, Path dir) {
    String target = escape(dir.toAbsolutePath().normalize().toString());
    for (String line : mountInfo()) {
      String[] f = line.split(" ");
      int dash = List.of(f).indexOf("-");
      if (f.length > 4 && f[4].equals(target) && dash > 0 && dash + 2 < f.length && f[dash + 1].equals("tmpfs")
          && f[dash + 2].equals(escape(source))) {
        return true;
      }
    }
    return false;
  }

  /** mountinfo escapes space, tab, newline and backslash as octal. */
  private static String escape(String s) {
    return s.replace("\\", "\\134").replace(" ", "\\040").replace("\t", "\\011").replace("\n", "\\012");
  }

  private static List<String> mountInfo() {
    try {
      return Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + MOUNTINFO, e);
    }
  }
}
