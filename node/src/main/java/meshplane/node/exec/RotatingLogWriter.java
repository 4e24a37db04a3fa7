package meshplane.node.exec;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import meshplane.cluster.model.LogOptions;

/**
 * Appends to a task log, keeping it within its {@link LogOptions}: at most {@code maxSize} bytes
 * to a file, then a rotation ({@link TaskLogFiles#rotate}), as the process executor's shell
 * writer does ({@link TaskCommandLine#LOG_WRITER}); so the log never holds more than
 * {@code maxSize x maxFile} bytes. For the docker executor's copy of a container's output. Not
 * thread-safe.
 */
final class RotatingLogWriter implements AutoCloseable {
  private final Path log;
  private final long maxSize;
  private final int maxFile;
  private FileChannel out;
  private long size;

  RotatingLogWriter(Path log, LogOptions options) {
    this.log = log;
    this.maxSize = options.maxSizeOrDefault();
    this.maxFile = options.maxFileOrDefault();
  }

  void write(byte[] bytes) throws IOException {
    int at = 0;
    while (at < bytes.length) {
      if (out == null) {
        open();
      }
      if (size >= maxSize) {
        out.close();
        out = null;
        TaskLogFiles.rotate(log, maxFile);
        continue;
      }
      int n = (int) Math.min(bytes.length - at, maxSize - size);
      ByteBuffer b = ByteBuffer.wrap(bytes, at, n);
      while (b.hasRemaining()) {
        out.write(b);
      }
      size += n;
      at += n;
    }
  }

  private void open() throws IOException {
    if (log.getParent() != null) {
      Files.createDirectories(log.getParent());
    }
    out = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    size = out.size();
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      out.close();
      out = null;
    }
  }
}
