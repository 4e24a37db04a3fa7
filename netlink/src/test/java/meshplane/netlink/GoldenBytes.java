package meshplane.netlink;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Golden bytes for codec tests: messages captured from the real tools with strace, written in
 * the tests as the hex columns of strace's {@code -e write=/read=} dump, and a comparison that
 * fails with a side-by-side hex dump marking every byte that differs.
 */
public final class GoldenBytes {
  private GoldenBytes() {}

  /** Parses hex pairs; spaces and line breaks between pairs are ignored. */
  public static byte[] hex(String... lines) {
    String all = String.join(" ", lines).replaceAll("\\s+", "");
    if (all.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits in golden bytes");
    }
    return HexFormat.of().parseHex(all);
  }

  /** A received datagram as the socket would hand it to Message.split. */
  public static List<Message> messages(byte[] datagram) {
    return Message.split(ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder()));
  }

  /** The only message of a datagram. */
  public static Message message(byte[] datagram) {
    List<Message> all = messages(datagram);
    if (all.size() != 1) {
      throw new IllegalStateException("expected one message, the datagram holds " + all.size());
    }
    return all.get(0);
  }

  /** Sets the header's sequence number and port id, as strace showed them, for a comparison. */
  public static byte[] withSeqAndPid(byte[] message, int seq, int pid) {
    byte[] copy = message.clone();
    ByteBuffer.wrap(copy).order(ByteOrder.nativeOrder()).putInt(8, seq).putInt(12, pid);
    return copy;
  }

  /** Fails, printing both dumps with differing bytes marked, unless the arrays are equal. */
  public static void assertBytes(byte[] expected, byte[] actual, String what) {
    if (Arrays.equals(expected, actual)) {
      return;
    }
    fail(what + ": bytes differ (expected " + expected.length + " bytes, got " + actual.length + ")\n"
        + diff(expected, actual));
  }

  /** Side-by-side dump, 16 bytes a row: offset, expected, actual; '*' marks a row that differs. */
  public static String diff(byte[] expected, byte[] actual) {
    StringBuilder sb = new StringBuilder("offset   expected                                         actual\n");
    int rows = (Math.max(expected.length, actual.length) + 15) / 16;
    for (int r = 0; r < rows; r++) {
      StringBuilder e = new StringBuilder();
      StringBuilder a = new StringBuilder();
      StringBuilder marks = new StringBuilder();
      boolean differs = false;
      for (int i = r * 16; i < r * 16 + 16; i++) {
        e.append(cell(expected, i));
        a.append(cell(actual, i));
        boolean d = i < Math.max(expected.length, actual.length)
            && (i >= expected.length || i >= actual.length || expected[i] != actual[i]);
        marks.append(d ? "^^ " : "   ");
        differs |= d;
      }
      sb.append(String.format("%05x %s %s  %s%n", r * 16, differs ? '*' : ' ', e, a));
      if (differs) {
        sb.append(" ".repeat(58)).append(marks).append('\n');
      }
    }
    return sb.toString();
  }

  private static String cell(byte[] b, int i) {
    return i < b.length ? String.format("%02x ", b[i] & 0xff) : "   ";
  }
}
