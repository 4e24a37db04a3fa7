package meshplane.node.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import meshplane.cluster.model.LogOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies containers' output (stdout and stderr) into their tasks' log files, so
 * {@code service logs} reads the same file for both executors. It reads docker's own json-file
 * log, the file {@code docker inspect} names as {@code LogPath} (one JSON object per line, its
 * {@code log} field the text as written), polling every {@link #POLL}, on one thread for every
 * container: following through the API ({@code docker logs -f}) would hold a docker-java streaming
 * thread per container. How far a task's log has been copied is kept in its state folder
 * ({@value #OFFSET_FILE}), so an agent that adopts the container after a restart goes on from
 * there, nothing lost and nothing doubled.
 */
final class DockerLogCopier implements AutoCloseable {
  static final Duration POLL = Duration.ofMillis(200);
  static final String OFFSET_FILE = "docker-log.offset";
  private static final Logger LOG = LoggerFactory.getLogger(DockerLogCopier.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int CHUNK = 64 * 1024;
  /**
   * The longest line of docker's log read: docker writes at most 16 KiB of output per entry, which
   * JSON escaping can make six times longer; a longer line is no entry of docker's and is skipped.
   */
  static final int MAX_JSON_LINE = 128 * 1024;

  private final Map<String, Copy> copies = new ConcurrentHashMap<>();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "docker-logs");
    t.setDaemon(true);
    return t;
  });

  DockerLogCopier() {
    thread.scheduleWithFixedDelay(this::copyAll, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Copies the output of task {@code taskId} from docker's {@code jsonLog} into {@code taskLog}:
   * from the start for a container just started; for an adopted one, from where the offset in
   * {@code stateDir} says, or, without one, from the end of what docker has (when the task's log
   * has lines already: they were copied by an agent that kept no offset).
   */
  void follow(String taskId, Path jsonLog, Path taskLog, LogOptions options, Path stateDir, boolean adopted) {
    Path offsetFile = stateDir.resolve(OFFSET_FILE);
    long from = adopted ? readOffset(offsetFile).orElseGet(() -> size(taskLog) > 0 ? size(jsonLog) : 0) : 0;
    Copy previous = copies.put(taskId, new Copy(taskId, jsonLog, new RotatingLogWriter(taskLog, options), offsetFile, from));
    if (previous != null) {
      synchronized (previous) {
        previous.close();
      }
    }
  }

  private static Optional<Long> readOffset(Path file) {
    try {
      return Optional.of(Long.parseLong(Files.readString(file).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Copies what is left of the task's output and stops (before its container, and docker's log, are removed). */
  void unfollow(String taskId) {
    Copy c = copies.remove(taskId);
    if (c != null) {
      synchronized (c) {
        c.copy();
        c.close();
      }
    }
  }

  /** Forgets a task's offset (a new container for it: its log starts again). */
  static void reset(Path stateDir) {
    try {
      Files.deleteIfExists(stateDir.resolve(OFFSET_FILE));
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove " + stateDir.resolve(OFFSET_FILE) + ": " + e.getMessage(), e);
    }
  }

  private void copyAll() {
    for (Copy c : List.copyOf(copies.values())) {
      synchronized (c) {
        c.copy();
      }
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
    for (Copy c : List.copyOf(copies.values())) {
      synchronized (c) {
        c.close();
      }
    }
    copies.clear();
  }

  /** One container's log being copied: where it is read up to, and the line it is in the middle of. */
  private static final class Copy {
    private final String taskId;
    private final Path jsonLog;
    private final RotatingLogWriter taskLog;
    private final Path offsetFile;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    private long position;
    private long lineStart;
    private FileChannel in;
    private Object inKey;
    private boolean skipping;
    private boolean failed;

    Copy(String taskId, Path jsonLog, RotatingLogWriter taskLog, Path offsetFile, long from) {
      this.taskId = taskId;
      this.jsonLog = jsonLog;
      this.taskLog = taskLog;
      this.offsetFile = offsetFile;
      this.position = from;
      this.lineStart = from;
    }

    /** Copies every whole line docker has written since the last call. */
    void copy() {
      if (failed) {
        return;
      }
      try {
        if (in == null) {
          in = FileChannel.open(jsonLog, StandardOpenOption.READ);
          inKey = Files.readAttributes(jsonLog, BasicFileAttributes.class).fileKey();
        }
        if (in.size() < position) {
          position = 0; // a log that was truncated or replaced starts again
          lineStart = 0;
          line.reset();
        }
        copyToEnd();
        if (!inKey.equals(Files.readAttributes(jsonLog, BasicFileAttributes.class).fileKey())) {
          copyToEnd(); // docker rotated its log (max-size): the rest of the old file, then the new one from its start
          in.close();
          in = null;
          position = 0;
          lineStart = 0;
          line.reset();
          writeOffset(0);
        }
      } catch (NoSuchFileException e) {
        // docker has not made the log yet (or removed the container already)
      } catch (IOException | RuntimeException e) {
        failed = true;
        LOG.warn("task {}: cannot copy its output from {}: {}", taskId, jsonLog, e.toString());
      }
    }

    /** Copies the whole lines from where it is to the end of the open file, and records how far. */
    private void copyToEnd() throws IOException {
      long copiedUpTo = lineStart;
      while (position < in.size()) {
        buffer.clear();
        int read = in.read(buffer, position);
        if (read <= 0) {
          break;
        }
        for (int i = 0; i < read; i++) {
          byte b = buffer.get(i);
          if (b == '\n') {
            if (!skipping) {
              write(line.toString(StandardCharsets.UTF_8));
            }
            skipping = false;
            line.reset();
            copiedUpTo = position + i + 1;
          } else if (skipping) {
            continue; // the rest of a line too long to be docker's
          } else if (line.size() < MAX_JSON_LINE) {
            line.write(b);
          } else {
            skipping = true;
            line.reset();
            LOG.warn("task {}: a line of over {} bytes in {} is no docker log entry; skipped", taskId, MAX_JSON_LINE, jsonLog);
          }
        }
        position += read;
      }
      if (copiedUpTo != lineStart) {
        lineStart = copiedUpTo;
        writeOffset(copiedUpTo);
      }
    }

    private void write(String jsonLine) throws IOException {
      if (jsonLine.isBlank()) {
        return;
      }
      JsonNode entry = JSON.readTree(jsonLine);
      String text = entry.path("log").asText("");
      taskLog.write(text.getBytes(StandardCharsets.UTF_8));
    }

    private void writeOffset(long offset) throws IOException {
      if (offsetFile.getParent() != null) {
        Files.createDirectories(offsetFile.getParent());
      }
      Path tmp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
      Files.writeString(tmp, offset + "\n");
      Files.move(tmp, offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    void close() {
      try {
        if (in != null) {
          in.close();
        }
        taskLog.close();
      } catch (IOException ignored) {
        // read-only input; the output is written through, nothing buffered
      }
      in = null;
    }
  }
}
