package meshplane.node.exec;

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
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Reading a task's log: its stdout and stderr as written, in the files of {@link TaskLogFiles}
 * (the rotated ones, oldest first, then the current one), read as one stream: a line cut by a
 * rotation is given whole. Lines are UTF-8, ended by '\n'; a last line without '\n' still counts;
 * a line over {@link LogLines#MAX_LINE} bytes is given in pieces of that size. Nothing is loaded
 * whole: lines go to a sink as they are read, 8 KiB at a time, and a reader holds at most one
 * piece of a line. A log that does not exist yet is empty.
 */
public final class TaskLogs {
  /** How often {@link #follow} looks for new output. */
  public static final Duration POLL = Duration.ofMillis(200);
  private static final int CHUNK = 8192;

  private TaskLogs() {}

  /** The last {@code n} lines of the log ({@code n < 0}: all of them), as a list (for small {@code n}). */
  public static List<String> tail(Path log, int n) {
    List<String> lines = new ArrayList<>();
    tail(log, n, lines::add);
    return lines;
  }

  /** Gives the last {@code n} lines of the log ({@code n < 0}: all of them) to {@code sink}, oldest first. */
  public static void tail(Path log, int n, Consumer<String> sink) {
    try (FileChannel current = open(log)) {
      tail(log, current, current == null ? 0 : current.size(), n, sink);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the task log " + log + ": " + e.getMessage(), e);
    }
  }

  /** Streams new lines of the log to {@code out} as they are written, until {@code stillRunning} says no. */
  public static void follow(Path log, OutputStream out, BooleanSupplier stillRunning) {
    tailAndFollow(log, 0, out, stillRunning);
  }

  /** {@code logs --tail n --follow}: the last {@code n} lines, then the new ones, nothing lost or doubled between. */
  public static void tailAndFollow(Path log, int n, OutputStream out, BooleanSupplier stillRunning) {
    Consumer<String> sink = lines(out);
    FileChannel current = null;
    try {
      current = open(log);
      long end = current == null ? 0 : current.size();
      tail(log, current, end, n, sink);
      flush(out);
      current = follow(log, current, end, sink, stillRunning);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot follow the task log " + log + ": " + e.getMessage(), e);
    } finally {
      close(current);
    }
  }

  /**
   * Gives each line written at or after byte {@code offset} of the current file to {@code sink},
   * polling every {@link #POLL}, until {@code stillRunning} answers false; the output written
   * before that answer is all given, the last partial line included. A rotation is followed into
   * the new file once the old one is read to its end; a log truncated meanwhile is read from its
   * start again. Returns early when the thread is interrupted.
   */
  public static void follow(Path log, long offset, Consumer<String> sink, BooleanSupplier stillRunning) {
    FileChannel channel = null;
    try {
      channel = follow(log, open(log), offset, sink, stillRunning);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot follow the task log " + log + ": " + e.getMessage(), e);
    } finally {
      close(channel);
    }
  }

  /** Follows from {@code offset} of {@code channel} (null: the log does not exist yet); returns the channel open at the end. */
  private static FileChannel follow(Path log, FileChannel channel, long offset, Consumer<String> sink,
      BooleanSupplier stillRunning) throws IOException {
    LogLines lines = new LogLines(sink);
    long position = offset;
    Object key = channel == null ? null : keyOf(log);
    while (true) {
      boolean running = stillRunning.getAsBoolean();
      if (channel == null) {
        Object before = keyOf(log);
        channel = open(log);
        key = keyOf(log);
        if (channel != null && !Objects.equals(before, key)) {
          close(channel); // rotated while being opened: open the new one on the next round
          channel = null;
          continue;
        }
        position = 0;
      }
      if (channel != null) {
        if (channel.size() < position) {
          position = 0; // truncated (a log of one file is emptied when it rotates)
          lines.reset();
        }
        position = read(channel, position, channel.size(), lines);
        Object now = keyOf(log);
        if (now != null && !now.equals(key)) { // rotated away: what was written before, then the new file
          read(channel, position, channel.size(), lines);
          close(channel);
          channel = null;
          continue;
        }
      }
      if (!running) {
        lines.flushPartial();
        return channel;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return channel;
      }
    }
  }

  /** The identity (device and inode) of the file {@code log} names now; null when there is none. */
  private static Object keyOf(Path log) throws IOException {
    try {
      return Files.readAttributes(log, BasicFileAttributes.class).fileKey();
    } catch (NoSuchFileException e) {
      return null; // between a rotation and the writer's next open: the old file is still the newest
    }
  }

  /**
   * The last {@code n} lines of the log's files, the current one ({@code current}, may be null)
   * read up to {@code end}: found by reading backwards, newest file first, until {@code n} line
   * ends before the last byte are seen; then read forwards from there.
   */
  private static void tail(Path log, FileChannel current, long end, int n, Consumer<String> sink) throws IOException {
    if (n == 0) {
      return;
    }
    List<Path> rotated = new ArrayList<>(TaskLogFiles.oldestFirst(log));
    rotated.remove(log);
    List<FileChannel> channels = new ArrayList<>();
    List<Long> ends = new ArrayList<>();
    try {
      for (Path p : rotated) {
        FileChannel c = open(p);
        if (c != null) {
          channels.add(c);
          ends.add(c.size());
        }
      }
      if (current != null) {
        channels.add(current);
        ends.add(end);
      }
      int file = 0;
      long start = 0;
      if (n > 0) {
        int newlines = 0;
        boolean last = true;
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
        file = -1;
        search:
        for (int f = channels.size() - 1; f >= 0; f--) {
          long at = ends.get(f);
          while (at > 0) {
            long from = Math.max(0, at - CHUNK);
            buffer.clear().limit((int) (at - from));
            readFully(channels.get(f), buffer, from);
            for (int i = buffer.limit() - 1; i >= 0; i--) {
              boolean newline = buffer.get(i) == '\n';
              if (newline && !last && ++newlines == n) {
                file = f;
                start = from + i + 1;
                break search;
              }
              last = false;
            }
            at = from;
          }
        }
        if (file < 0) {
          file = 0;
          start = 0;
        }
      }
      LogLines lines = new LogLines(sink);
      for (int f = file; f < channels.size(); f++) {
        read(channels.get(f), f == file ? start : 0, ends.get(f), lines);
      }
      lines.flushPartial();
    } finally {
      for (FileChannel c : channels) {
        if (c != current) {
          close(c);
        }
      }
    }
  }

  /** Gives the bytes in [position, end) to {@code lines}; returns where it stopped. */
  private static long read(FileChannel channel, long position, long end, LogLines lines) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    while (position < end) {
      buffer.clear().limit((int) Math.min(CHUNK, end - position));
      int read = channel.read(buffer, position);
      if (read <= 0) {
        break;
      }
      position += read;
      buffer.flip();
      lines.accept(buffer);
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
