package meshplane.whoami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class RequestLogTest {
  @Test
  void theInstantReadsAsInstantToStringAtEveryPrecisionAndAcrossSeconds() {
    RequestLog log = new RequestLog(new ByteArrayOutputStream());
    for (long second : List.of(1_796_353_763L, 1_796_353_764L, 0L, 1_796_353_764L)) {
      for (int nanos : List.of(0, 1, 999, 1_000, 120_000, 7_000_000, 123_456_789, 100_000_000, 999_999_999)) {
        Instant i = Instant.ofEpochSecond(second, nanos);
        assertEquals(i.toString(), log.instantText(i));
      }
    }
  }

  @Test
  void linesLeaveWholeOnFlushOnly() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RequestLog log = new RequestLog(out);
    log.request(InetAddress.getByName("10.0.0.7"), "GET", "/a?b=c", "HTTP/1.1", 200);
    log.request(InetAddress.getByName("10.0.0.8"), "HEAD", "/", "HTTP/1.0", 413);
    assertEquals(0, out.size(), "buffered until flush");
    log.flush();
    List<String> lines = List.of(out.toString(StandardCharsets.UTF_8).split("\n"));
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).endsWith("Z 10.0.0.7 GET /a?b=c HTTP/1.1 200"), lines.get(0));
    assertTrue(lines.get(1).endsWith("Z 10.0.0.8 HEAD / HTTP/1.0 413"), lines.get(1));
    Instant.parse(lines.get(0).substring(0, lines.get(0).indexOf(' ')));
  }
}
