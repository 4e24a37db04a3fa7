package meshplane.node.exec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a log's bytes into lines ended by '\n', UTF-8, none longer than {@link #MAX_LINE} bytes: a
 * longer line is split, given as pieces of at most that size (as docker splits a line into 16 KiB
 * partial messages), each cut before a UTF-8 sequence, never inside one. The bytes stay in the
 * file as written; only their reading is split. Holds at most one piece, so a line of any length
 * costs {@value #MAX_LINE} bytes of memory. Not thread-safe.
 */
final class LogLines {
  /** The longest line given whole, in bytes (docker's partial message size). */
  static final int MAX_LINE = 16 * 1024;

  private final byte[] line;
  private final Consumer<String> sink;
  private int length;

  LogLines(Consumer<String> sink) {
    this(MAX_LINE, sink);
  }

  LogLines(int maxLine, Consumer<String> sink) {
    this.line = new byte[maxLine];
    this.sink = sink;
  }

  /** Takes the bytes from the buffer's position to its limit. */
  void accept(ByteBuffer bytes) {
    while (bytes.hasRemaining()) {
      byte b = bytes.get();
      if (b == '\n') {
        emit(length);
      } else {
        if (length == line.length) {
          emit(cut());
        }
        line[length++] = b;
      }
    }
  }

  /** Whether a line is begun and not ended. */
  boolean hasPartial() {
    return length > 0;
  }

  /** Gives the line begun, if any (the log's last line, written without '\n'). */
  void flushPartial() {
    if (length > 0) {
      emit(length);
    }
  }

  /** Forgets the line begun (the log was truncated). */
  void reset() {
    length = 0;
  }

  /** Where a full line is cut: before the UTF-8 sequence its last bytes begin, when that is not complete. */
  private int cut() {
    for (int back = 1; back <= 3 && back <= length; back++) {
      int b = line[length - back] & 0xff;
      if ((b & 0xc0) != 0x80) { // a lead byte (or ASCII)
        int need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
        return need > back && back < length ? length - back : length;
      }
    }
    return length;
  }

  private void emit(int upTo) {
    sink.accept(new String(line, 0, upTo, StandardCharsets.UTF_8));
    System.arraycopy(line, upTo, line, 0, length - upTo);
    length -= upTo;
  }
}
