package meshplane.ipvs;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import meshplane.netlink.Message;

/**
 * Hand-written bytes for the IPVS codec tests: hex pairs (spaces, line breaks and everything
 * after a '#' on a line ignored), and a comparison that fails with a side-by-side dump marking
 * each differing row. (The netlink module's GoldenBytes lives in its test sources, which other
 * modules cannot see.)
 */
final class Golden {
  private Golden() {}

  static byte[] hex(String... lines) {
    StringBuilder all = new StringBuilder();
    for (String line : lines) {
      int hash = line.indexOf('#');
      all.append((hash < 0 ? line : line.substring(0, hash)).replaceAll("\\s+", ""));
    }
    if (all.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits in golden bytes");
    }
    return HexFormat.of().parseHex(all);
  }

  /** The only message of a datagram, as the socket would hand it over. */
  static Message message(byte[] datagram) {
    List<Message> all = Message.split(ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder()));
    if (all.size() != 1) {
      throw new IllegalStateException("expected one message, the datagram holds " + all.size());
    }
    return all.get(0);
  }

  static void assertBytes(byte[] expected, byte[] actual, String what) {
    if (Arrays.equals(expected, actual)) {
      return;
    }
    StringBuilder sb = new StringBuilder(what + ": bytes differ (expected " + expected.length + ", got "
        + actual.length + ")\noffset   expected                                         actual\n");
    int n = Math.max(expected.length, actual.length);
    for (int row = 0; row < n; row += 16) {
      boolean differs = false;
      StringBuilder e = new StringBuilder();
      StringBuilder a = new StringBuilder();
      for (int i = row; i < row + 16; i++) {
        e.append(i < expected.length ? String.format("%02x ", expected[i] & 0xff) : "   ");
        a.append(i < actual.length ? String.format("%02x ", actual[i] & 0xff) : "   ");
        differs |= i < n && (i >= expected.length || i >= actual.length || expected[i] != actual[i]);
      }
      sb.append(String.format("%05x %s %s  %s%n", row, differs ? '*' : ' ', e, a));
    }
    fail(sb.toString());
  }
}
