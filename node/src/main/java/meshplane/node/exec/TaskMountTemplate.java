package meshplane.node.exec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import meshplane.netlink.Tmpfs;

/**
 * The mount namespace a process task's own is copied from: the node's, less the mounts under
 * /run/netns (one per network namespace of the node, thousands with as many tasks), with
 * /etc/resolv.conf already naming the embedded DNS and, when the node has an /etc/hostname,
 * /proc/sys/kernel/hostname bound over it: that file reads the hostname of the reader's UTS
 * namespace, so each task sees its own name there with no mount of its own (one program less to
 * run per start; writing it sets the hostname, as {@code hostname NAME} would). Without the
 * template each task start copied every
 * namespace mount of the node (the copy costs time and kernel memory in proportion: about 3 ms
 * more per start at 1,000 namespaces here), and each task saw every other task's namespace.
 *
 * <p>Kept, as {@code unshare --mount=FILE} keeps one, by a bind mount of the namespace onto
 * {@code DIR/mnt}, where DIR is a small private tmpfs (a namespace can only be bound on a private
 * mount) that also holds the resolv.conf. Made once per executor, when its first task starts;
 * {@link #remove} unmounts both. A template left by a daemon that was killed is replaced.
 * Mounts the node makes after it exist do not reach tasks started later, as with a container.
 */
final class TaskMountTemplate {
  static final String RESOLV_CONF = "nameserver 127.0.0.11\noptions ndots:0\n";
  private static final String SOURCE = "meshplane-task-mounts";
  private static final long SIZE_BYTES = 1 << 20;
  private static final long TIMEOUT_SECONDS = 30;
  /** In the new namespace: drop the netns mounts (lazily, a subtree at once), bind resolv.conf and hostname. */
  private static final String SETUP = String.join("\n",
      "if [ -d /run/netns ]; then \"$1\" -l /run/netns 2>/dev/null; fi",
      "\"$2\" --bind \"$3\" /etc/resolv.conf || exit 1",
      "if [ -e /etc/hostname ]; then exec \"$2\" --bind /proc/sys/kernel/hostname /etc/hostname; fi");

  private final Path dir;

  private TaskMountTemplate(Path dir) {
    this.dir = dir;
  }

  /** The file the namespace is bound on, for {@code nsenter --mount=}. */
  Path namespaceFile() {
    return dir.resolve("mnt");
  }

  /**
   * Makes the template in {@code dir} (created if missing; what a killed daemon left there is
   * unmounted first): the private tmpfs, then the namespace with util-linux's {@code unshare},
   * {@code umount} and {@code mount}.
   *
   * @throws IllegalStateException naming the step and its output when one fails
   */
  static TaskMountTemplate create(Path dir, TaskCommandLine.Tools tools) {
    Path abs = dir.toAbsolutePath().normalize();
    TaskMountTemplate t = new TaskMountTemplate(abs);
    t.remove();
    if (!Tmpfs.mountPrivate(SOURCE, abs, SIZE_BYTES)) {
      throw new IllegalStateException("task mount template: " + abs + " is a mount point of something else");
    }
    try {
      Files.writeString(abs.resolve("resolv.conf"), RESOLV_CONF);
      Files.createFile(t.namespaceFile());
    } catch (IOException e) {
      t.remove();
      throw new UncheckedIOException("task mount template: cannot write in " + abs, e);
    }
    try {
      run("make the task mount namespace", tools.unshare(), "--mount=" + t.namespaceFile(), "--propagation", "private", "--",
          "/bin/sh", "-c", SETUP, "meshplane-task-mounts", umount(tools), tools.mount(), abs.resolve("resolv.conf").toString());
    } catch (RuntimeException e) {
      t.remove();
      throw e;
    }
    return t;
  }

  /**
   * Unmounts the tmpfs lazily, and with it the namespace bound inside, and removes the folder;
   * nothing when absent. A folder someone else mounted on is refused, not emptied.
   */
  void remove() {
    if (!Files.exists(dir)) {
      return;
    }
    Tmpfs.unmount(SOURCE, dir);
    if (Tmpfs.isMountPoint(dir)) {
      throw new IllegalStateException("task mount template: " + dir + " is a mount point of something else");
    }
    Folders.deleteTree(dir, "task mount template: cannot remove " + dir);
  }

  private static String umount(TaskCommandLine.Tools tools) {
    Path mount = Path.of(tools.mount());
    Path sibling = mount.resolveSibling("umount");
    return Files.isExecutable(sibling) ? sibling.toString() : "umount";
  }

  private static void run(String what, String... argv) {
    List<String> cmd = new ArrayList<>(List.of(argv));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("task mount template: " + what + ": no answer in " + TIMEOUT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("task mount template: " + what + ": " + String.join(" ", cmd) + " exited "
            + p.exitValue() + (out.isEmpty() ? "" : ": " + out));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("task mount template: " + what + ": cannot run " + cmd.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("task mount template: " + what + ": interrupted", e);
    }
  }
}
