package meshplane.cluster.raft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.CommandCodec;
import meshplane.cluster.model.LogOptions;
import meshplane.cluster.model.ResourceLimits;
import meshplane.cluster.model.Service;
import meshplane.cluster.model.ServiceSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A spec's limits and log options in the Raft log: written when set, left out when absent. */
@Tag("unit")
class SpecLimitsCodecTest {

  @Test
  void aSpecWithoutLimitsIsWrittenAsBeforeTheyExisted() {
    Service svc = Commands.service("svc1", "web", 256);
    String json = text(CommandCodec.encode(new Command.PutService(svc)));
    assertFalse(json.contains("limits"), json);
    assertFalse(json.contains("logOptions"), json);
    Command back = CommandCodec.decode(CommandCodec.encode(new Command.PutService(svc)));
    assertNull(((Command.PutService) back).service().spec().limits());
  }

  @Test
  void limitsAndLogOptionsSurviveTheLogAndUnsetOnesAreLeftOut() {
    Service svc = Commands.service("svc1", "web", 256);
    ServiceSpec spec = svc.spec().withLimits(new ResourceLimits(500_000_000L, 64L << 20, null), new LogOptions(5L << 20, null));
    Command c = new Command.PutService(new Service(svc.id(), spec, svc.version(), svc.mark(), svc.vips(), svc.createdAt(),
        svc.updatedAt()));
    byte[] entry = CommandCodec.encode(c);
    String json = text(entry);
    assertTrue(json.contains("\"limits\":{\"nanoCpus\":500000000,\"memoryBytes\":67108864}"), json);
    assertTrue(json.contains("\"logOptions\":{\"maxSize\":5242880}"), json);
    Command back = CommandCodec.decode(entry);
    assertEquals(c, back);
    assertArrayEquals(entry, CommandCodec.encode(back));
  }

  @Test
  void emptyLimitsAreNoLimits() {
    ServiceSpec spec = Commands.service("svc1", "web", 256).spec().withLimits(new ResourceLimits(null, null, null),
        new LogOptions(null, null));
    assertNull(spec.limits());
    assertNull(spec.logOptions());
    assertEquals(LogOptions.DEFAULT, spec.logOptionsOrDefault());
  }

  private static String text(byte[] entry) {
    return new String(entry, 1, entry.length - 1, StandardCharsets.UTF_8);
  }
}
