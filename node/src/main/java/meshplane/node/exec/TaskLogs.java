package meshplane.node.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A task's log: one append-only file holding its stdout and stderr as written (the executor
 * opens it with O_APPEND, so the task keeps writing to it when the agent restarts). Lines are
 * UTF-8, ended by '\n'; a last line without '\n' still counts as a line. A log that does not
 * exist yet is empty.
 */
public final class TaskLogs {
  /** How often {@link #follow} looks for new output. */
  public static final Duration POLL = Duration.ofMillis(200);
  private static final int CHUNK = 8192;

  private TaskLogs() {}

  /** The last {@code n} lines of the log ({@code n < 0}: all of them). */
  public static List<String> tail(Path log, int n) {
    return tail(log, n, size(log));
  }

  /** Streams new lines of the log to {@code out} as they are written, until {@code stillRunning} says no. */
  public static void follow(Path log, OutputStream out, BooleanSupplier stillRunning) {
    follow(log, size(log), lines(out), stillRunning);
  }

  /** {@code logs --tail n --follow}: the last {@code n} lines, then the new ones, nothing lost or doubled between. */
  public static void tailAndFollow(Path log, int n, OutputStream out, BooleanSupplier stillRunning) {
    long end = size(log);
    Consumer<String> sink = lines(out);
    tail(log, n, end).forEach(sink);
    flush(out);
    follow(log, end, sink, stillRunning);
  }

  /**
   * Gives each line written at or after byte {@code offset} to {@code sink}, polling every
   * {@link #POLL}, until {@code stillRunning} answers false; the output written before that answer
   * is all given, the last partial line included. A log truncated meanwhile is read from its
   * start again. Returns early when the thread is interrupted.
   */
  public static void follow(Path log, long offset, Consumer<String> sink, BooleanSupplier stillRunning) {
    ByteArrayOutputStream partial = new ByteArrayOutputStream();
    long position = offset;
    FileChannel channel = null;
    try {
      while (true) {
        boolean running = stillRunning.getAsBoolean();
        if (channel == null) {
          channel = open(log);
        }
        if (channel != null) {
          if (channel.size() < position) {
            position = 0;
            partial.reset();
          }
          position = readLines(channel, position, partial, sink);
        }
        if (!running) {
          if (partial.size() > 0) {
            sink.accept(partial.toString(StandardCharsets.UTF_8));
          }
          return;
        }
        try {
          Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot follow the task log " + log + ": " + e.getMessage(), e);
    } finally {
      close(channel);
    }
  }

  static List<String> tail(Path log, int n, long end) {
    if (n == 0) {
      return List.of();
    }
    try (FileChannel channel = open(log)) {
      if (channel == null) {
        return List.of();
      }
      // Read backwards until n line ends before the last byte are seen (or the file starts).
      long start = end;
      int newlines = 0;
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      outer:
      while (start > 0) {
        long from = Math.max(0, start - CHUNK);
        buffer.clear().limit((int) (start - from));
        readFully(channel, buffer, from);
        for (int i = buffer.limit() - 1; i >= 0; i--) {
          if (buffer.get(i) == '\n' && from + i != end - 1 && n > 0 && ++newlines == n) {
            start = from + i + 1;
            break outer;
          }
        }
        start = from;
      }
      List<String> lines = new ArrayList<>();
      readLines(channel, start, end, new ByteArrayOutputStream(), lines::add, true);
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the task log " + log + ": " + e.getMessage(), e);
    }
  }

  private static long readLines(FileChannel channel, long position, ByteArrayOutputStream partial,
      Consumer<String> sink) throws IOException {
    return readLines(channel, position, channel.size(), partial, sink, false);
  }

  /** Gives the lines in [position, end) to the sink, keeping a trailing partial line in {@code partial}. */
  private static long readLines(FileChannel channel, long position, long end, ByteArrayOutputStream partial,
      Consumer<String> sink, boolean lastPartialToo) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    Deque<String> ready = new ArrayDeque<>();
    while (position < end) {
      buffer.clear().limit((int) Math.min(CHUNK, end - position));
      int read = channel.read(buffer, position);
      if (read <= 0) {
        break;
      }
      position += read;
      for (int i = 0; i < read; i++) {
        byte b = buffer.get(i);
        if (b == '\n') {
          ready.add(partial.toString(StandardCharsets.UTF_8));
          partial.reset();
        } else {
          partial.write(b);
        }
      }
      ready.forEach(sink);
      ready.clear();
    }
    if (lastPartialToo && partial.size() > 0) {
      sink.accept(partial.toString(StandardCharsets.UTF_8));
      partial.reset();
    }
    return position;
  }

  private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      int read = channel.read(buffer, position + buffer.position());
      if (read < 0) {
        throw new IOException("the log shrank while being read");
      }
    }
  }

  private static Consumer<String> lines(OutputStream out) {
    return line -> {
      try {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write a task log line: " + e.getMessage(), e);
      }
    };
  }

  private static void flush(OutputStream out) {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the task log: " + e.getMessage(), e);
    }
  }

  private static long size(Path log) {
    try {
      return Files.size(log);
    } catch (NoSuchFileException e) {
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of the task log " + log + ": " + e.getMessage(), e);
    }
  }

  private static FileChannel open(Path log) throws IOException {
    try {
      return FileChannel.open(log, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private static void close(FileChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // a read-only channel has nothing to lose on close
      }
    }
  }
}
