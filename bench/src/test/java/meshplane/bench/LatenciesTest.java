package meshplane.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class LatenciesTest {
  private static Latencies millis(int n) {
    List<Long> nanos = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      nanos.add(i * 1_000_000L);
    }
    Collections.shuffle(nanos, new java.util.Random(7));
    return Latencies.ofNanos(nanos);
  }

  @Test
  void nearestRankOfFiftyMakesP99TheSlowestAndP50TheTwentyFifth() {
    Latencies l = millis(50);
    assertEquals(50.0, l.p99());
    assertEquals(25.0, l.p50());
    assertEquals(50.0, l.max());
  }

  @Test
  void nearestRankOfHundredMakesP99TheSecondSlowest() {
    Latencies l = millis(100);
    assertEquals(99.0, l.p99());
    assertEquals(50.0, l.p50());
    assertEquals(1.0, l.percentile(0.01));
  }

  @Test
  void noSampleGivesNaNAndABadQuantileIsRefused() {
    Latencies none = Latencies.ofNanos(List.of());
    assertTrue(Double.isNaN(none.p99()));
    assertThrows(IllegalArgumentException.class, () -> millis(3).percentile(0));
    assertThrows(IllegalArgumentException.class, () -> millis(3).percentile(1.5));
  }
}
