package meshplane.cluster.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes a file so that a crash, a power loss or a failed write leaves either the old file or the
 * new one, whole: the content goes to {@code .NAME.tmp} beside it (made afresh with the file's
 * permissions), which is fsynced, renamed over the file, and then the folder is fsynced so the
 * rename itself is on disk. A write that fails at any step removes the temporary file and leaves
 * the old one as it was; its exception names the file and the step. Callers that rewrite the
 * same file hold their own lock (one temporary name per file).
 */
public final class DurableFile {
  /** What goes into the file; may throw, and the old file is kept. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  public static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");

  private DurableFile() {}

  /** {@code bytes} as {@code target}, mode 0644. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, READABLE, out -> out.write(bytes));
  }

  /** What {@code content} writes as {@code target}, with {@code permissions}. */
  public static void write(Path target, Set<PosixFilePermission> permissions, Content content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = temporary(target);
    try {
      Files.deleteIfExists(tmp); // left by a crash in the middle of an earlier write
      FileAttribute<Set<PosixFilePermission>> mode = PosixFilePermissions.asFileAttribute(permissions);
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), mode)) {
        OutputStream out = Channels.newOutputStream(ch);
        content.writeTo(out);
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(tmp, e);
      String why = e instanceof FileAlreadyExistsException ? "its temporary file " + tmp + " exists" : e.getMessage();
      throw new IOException("cannot write " + target + ": " + why, e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp, e);
      throw e;
    }
    try {
      syncFolder(dir);
    } catch (IOException e) {
      throw new IOException("wrote " + target + " but " + e.getMessage(), e);
    }
  }

  /** fsyncs {@code dir}, so the renames and deletions done in it so far are on disk. */
  public static void syncFolder(Path dir) throws IOException {
    try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
      folder.force(true);
    } catch (IOException e) {
      throw new IOException("cannot fsync the folder " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The temporary file a write of {@code target} uses. */
  static Path temporary(Path target) {
    return target.resolveSibling("." + target.getFileName() + ".tmp");
  }

  private static void deleteQuietly(Path tmp, Exception cause) {
    try {
      Files.deleteIfExists(tmp);
    } catch (IOException e) {
      cause.addSuppressed(e);
    }
  }
}
