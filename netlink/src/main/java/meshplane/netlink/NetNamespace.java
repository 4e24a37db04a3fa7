package meshplane.netlink;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * A handle on a network namespace: an open file descriptor on its nsfs file. Named namespaces
 * live where iproute2 keeps them ({@code /run/netns/NAME}, a bind mount of the namespace), so
 * {@code ip netns} and {@code nsenter --net=PATH} see what meshplane makes and the other way
 * round.
 *
 * <p>setns() moves only the calling thread, so code runs inside a namespace on a fresh platform
 * thread that enters it and then ends: no thread of the caller ever changes namespace, and none
 * has to be restored.
 */
public final class NetNamespace implements AutoCloseable {
  /** Where named namespaces are bind-mounted, as iproute2 does. */
  public static final Path RUN_NETNS = Path.of("/run/netns");

  private final String name;
  private final Path path;
  private final int fd;
  private volatile boolean closed;

  private NetNamespace(String name, Path path) {
    this.name = name;
    this.path = path;
    try {
      this.fd = LibC.INSTANCE.open(path.toString(), LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new KernelException("open netns", name + " (" + path + ")", e.getErrorCode());
    }
  }

  /** Opens the named namespace {@code /run/netns/NAME}. */
  public static NetNamespace open(String name) {
    checkName(name);
    return new NetNamespace(name, RUN_NETNS.resolve(name));
  }

  /** Opens a namespace by the path of an nsfs file or a bind mount of one. */
  public static NetNamespace openPath(Path path) {
    return new NetNamespace(path.toString(), path);
  }

  /** Opens the network namespace of a process. */
  public static NetNamespace ofPid(long pid) {
    return new NetNamespace("pid " + pid, Path.of("/proc", Long.toString(pid), "ns", "net"));
  }

  /** Opens the namespace the calling thread is in. */
  public static NetNamespace current() {
    return new NetNamespace("(current)", Path.of("/proc/thread-self/ns/net"));
  }

  /**
   * Creates a new, empty named namespace, as {@code ip netns add NAME} does: /run/netns is made
   * a shared mount point, an empty file is created there, and a fresh thread unshares its network
   * namespace and bind-mounts it onto that file. The machine's own namespace is not touched.
   */
  public static NetNamespace create(String name) {
    Path target = mountPoint(name, "create netns");
    try {
      onFreshThread("netns-create-" + name, () -> {
        try {
          LibC.INSTANCE.unshare(LibC.CLONE_NEWNET);
        } catch (LastErrorException e) {
          throw new KernelException("unshare network namespace for", name, e.getErrorCode());
        }
        try {
          LibC.INSTANCE.mount("/proc/thread-self/ns/net", target.toString(), "none", LibC.MS_BIND, null);
        } catch (LastErrorException e) {
          throw new KernelException("bind-mount netns", name + " onto " + target, e.getErrorCode());
        }
        return null;
      });
    } catch (RuntimeException e) {
      try {
        Files.deleteIfExists(target);
      } catch (IOException ignored) {
        // the first error is the one worth reporting
      }
      throw e;
    }
    return open(name);
  }

  /**
   * Names an existing namespace (another process's, opened with {@link #ofPid}), as {@code ip
   * netns attach NAME PID} does: /run/netns is made a shared mount point, an empty file is
   * created there and {@code ns} is bind-mounted onto it through {@code /proc/self/fd/N}, so the
   * name is bound to the namespace the caller holds even if its process ends meanwhile.
   */
  public static void attach(String name, NetNamespace ns) {
    Path target = mountPoint(name, "attach netns");
    try {
      LibC.INSTANCE.mount("/proc/self/fd/" + ns.fd(), target.toString(), "none", LibC.MS_BIND, null);
    } catch (LastErrorException e) {
      try {
        Files.deleteIfExists(target);
      } catch (IOException ignored) {
        // the mount error is the one worth reporting
      }
      throw new KernelException("bind-mount netns " + ns.name() + " onto", target.toString(), e.getErrorCode());
    }
  }

  /**
   * Deletes a named namespace, as {@code ip netns delete NAME} does: lazy unmount, then unlink.
   * The namespace itself goes away when the last process and open handle let go of it.
   */
  public static void delete(String name) {
    checkName(name);
    Path target = RUN_NETNS.resolve(name);
    try {
      LibC.INSTANCE.umount2(target.toString(), LibC.MNT_DETACH);
    } catch (LastErrorException e) {
      if (e.getErrorCode() != Errno.EINVAL && e.getErrorCode() != Errno.ENOENT) {
        throw new KernelException("unmount netns", name + " (" + target + ")", e.getErrorCode());
      }
    }
    try {
      Files.deleteIfExists(target);
    } catch (IOException e) {
      throw new UncheckedIOException("delete netns " + name + ": cannot remove " + target, e);
    }
  }

  /**
   * Whether a namespace is mounted at {@code /run/netns/NAME}: the file is a bind mount of one (on
   * nsfs, not on the folder's own file system). The bare empty file a {@link #create} killed
   * between its two steps leaves is none: {@link #create} replaces it, {@link #delete} removes it,
   * and {@link #list} still names it (as {@code ip netns list} does).
   */
  public static boolean exists(String name) {
    checkName(name);
    Path file = RUN_NETNS.resolve(name);
    try {
      return !Files.getAttribute(file, "unix:dev").equals(Files.getAttribute(RUN_NETNS, "unix:dev"));
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("netns " + name + ": cannot stat " + file, e);
    }
  }

  /** Names of the namespaces in /run/netns, sorted. */
  public static List<String> list() {
    if (!Files.isDirectory(RUN_NETNS)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(RUN_NETNS)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("list " + RUN_NETNS, e);
    }
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("netns name \"" + name + "\" must be a non-empty file name without '/'");
    }
  }

  /**
   * The empty file {@code /run/netns/NAME} a namespace is bind-mounted onto (made here, after
   * /run/netns is a shared mount point); EEXIST when a namespace has the name, reported as
   * {@code operation}. A bare file there with no namespace on it (left by a process killed between
   * making the file and mounting onto it) is replaced: the names are their creator's alone.
   */
  private static Path mountPoint(String name, String operation) {
    checkName(name);
    Path target = RUN_NETNS.resolve(name);
    prepareRunNetns();
    for (int attempt = 0; ; attempt++) {
      try {
        LibC.INSTANCE.close(LibC.INSTANCE.open(target.toString(), LibC.O_RDONLY | LibC.O_CREAT | LibC.O_EXCL | LibC.O_CLOEXEC, 0));
        return target;
      } catch (LastErrorException e) {
        if (e.getErrorCode() != Errno.EEXIST || attempt > 0 || exists(name)) {
          throw new KernelException(operation, name + " (" + target + ")", e.getErrorCode());
        }
        delete(name); // a half-made one
      }
    }
  }

  /** Makes /run/netns exist and be a shared mount point, so a namespace mounted there is seen everywhere. */
  private static synchronized void prepareRunNetns() {
    try {
      Files.createDirectories(RUN_NETNS);
    } catch (IOException e) {
      throw new UncheckedIOException("create " + RUN_NETNS, e);
    }
    String dir = RUN_NETNS.toString();
    try {
      LibC.INSTANCE.mount("", dir, "none", LibC.MS_SHARED | LibC.MS_REC, null);
      return;
    } catch (LastErrorException e) {
      if (e.getErrorCode() != Errno.EINVAL) {
        throw new KernelException("make shared mount point", dir, e.getErrorCode());
      }
    }
    // Not a mount point yet: bind it onto itself, then share it.
    try {
      LibC.INSTANCE.mount(dir, dir, "none", LibC.MS_BIND | LibC.MS_REC, null);
      LibC.INSTANCE.mount("", dir, "none", LibC.MS_SHARED | LibC.MS_REC, null);
    } catch (LastErrorException e) {
      throw new KernelException("bind-mount and share", dir, e.getErrorCode());
    }
  }

  public String name() {
    return name;
  }

  public Path path() {
    return path;
  }

  /** The open descriptor, for IFLA_NET_NS_FD and setns(). Valid until {@link #close}. */
  public int fd() {
    if (closed) {
      throw new IllegalStateException("netns " + name + " handle is closed");
    }
    return fd;
  }

  /** The nsenter command that enters this namespace, for people debugging. */
  public String nsenterCommand() {
    return "nsenter --net=" + path;
  }

  /**
   * Runs {@code task} inside this namespace on a fresh platform thread and returns its result.
   * Sockets opened by the task stay in this namespace for their whole life.
   */
  public <T> T call(Callable<T> task) {
    int nsFd = fd();
    return onFreshThread("netns-" + name, () -> {
      try {
        LibC.INSTANCE.setns(nsFd, LibC.CLONE_NEWNET);
      } catch (LastErrorException e) {
        throw new KernelException("enter netns", name, e.getErrorCode());
      }
      return task.call();
    });
  }

  /**
   * A platform thread that enters this namespace before running {@code body} and stays in it for
   * its whole life (an event loop whose sockets must all be born here, for one). The caller
   * starts it; if entering fails, the thread ends with a {@link KernelException} and never runs
   * {@code body}.
   */
  public Thread newThread(String threadName, Runnable body) {
    int nsFd = fd();
    Thread t = new Thread(() -> {
      try {
        LibC.INSTANCE.setns(nsFd, LibC.CLONE_NEWNET);
      } catch (LastErrorException e) {
        throw new KernelException("enter netns", name, e.getErrorCode());
      }
      body.run();
    }, threadName);
    t.setDaemon(true);
    return t;
  }

  /** As {@link #call} for code with no result. */
  public void run(ThrowingRunnable task) {
    call(() -> {
      task.run();
      return null;
    });
  }

  /** Code that may throw, run inside a namespace. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static <T> T onFreshThread(String threadName, Callable<T> task) {
    AtomicReference<T> result = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread t = new Thread(() -> {
      try {
        result.set(task.call());
      } catch (Throwable e) {
        failure.set(e);
      }
    }, threadName);
    t.setDaemon(true);
    t.start();
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    Throwable f = failure.get();
    if (f instanceof RuntimeException re) {
      throw re;
    }
    if (f instanceof Error err) {
      throw err;
    }
    if (f != null) {
      throw new IllegalStateException("in netns thread " + threadName + ": " + f.getMessage(), f);
    }
    return result.get();
  }

  /** Identity of the namespace (device and inode of its nsfs file), to compare two handles. */
  public String identity() {
    try {
      Object ino = Files.getAttribute(path, "unix:ino");
      Object dev = Files.getAttribute(path, "unix:dev");
      return dev + ":" + ino;
    } catch (IOException e) {
      throw new UncheckedIOException("stat netns " + name, e);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        LibC.INSTANCE.close(fd);
      } catch (LastErrorException ignored) {
        // already closed: nothing to release
      }
    }
  }

  @Override
  public String toString() {
    return "netns " + name;
  }

  /** Lists every path of a namespace directory that starts with a prefix; used by cleanup. */
  public static List<String> listWithPrefix(String prefix) {
    List<String> out = new ArrayList<>();
    for (String n : list()) {
      if (n.startsWith(prefix)) {
        out.add(n);
      }
    }
    return out;
  }
}
