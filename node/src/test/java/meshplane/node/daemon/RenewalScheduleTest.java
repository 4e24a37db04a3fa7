package meshplane.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** When a certificate is renewed: at 50-80% of its life, counted from its start. */
@Tag("unit")
class RenewalScheduleTest {
  @Test
  void renewalFallsBetweenHalfAndFourFifthsOfTheLife() {
    Instant from = Instant.parse("2026-12-04T00:00:00Z");
    Instant to = from.plus(Duration.ofDays(90));
    assertEquals(from.plus(Duration.ofDays(45)), RenewalSchedule.renewAt(from, to, RenewalSchedule.FIRST));
    assertEquals(from.plus(Duration.ofDays(72)), RenewalSchedule.renewAt(from, to, RenewalSchedule.LAST));
    assertEquals(from.plus(Duration.ofMinutes(39)), RenewalSchedule.renewAt(from, from.plus(Duration.ofHours(1)), 0.65));
  }
}
