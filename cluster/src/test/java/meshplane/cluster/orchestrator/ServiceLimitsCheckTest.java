package meshplane.cluster.orchestrator;

import static meshplane.cluster.orchestrator.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.Command;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.LogOptions;
import meshplane.cluster.model.ResourceLimits;
import meshplane.cluster.model.ServiceSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The ranges of {@code limits} and {@code logOptions}, through {@link ServiceSpecValidator#check}. */
@Tag("unit")
class ServiceLimitsCheckTest {
  private final ClusterState s;

  ServiceLimitsCheckTest() {
    ClusterState c = Fixtures.cluster(1);
    s = c.apply(new Command.PutNetwork(NetworkAllocator.create(c, "web", null, 0)), c.index() + 1);
  }

  private static ServiceSpec with(ResourceLimits l, LogOptions o) {
    return spec("app", 2, "web").withLimits(l, o);
  }

  private void refused(String field, String rule, ServiceSpec bad) {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> ServiceSpecValidator.check(s, bad), field);
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().contains(rule), e.getMessage());
  }

  @Test
  void limitsAndLogOptionsInRangePass() {
    ServiceSpecValidator.check(s, with(new ResourceLimits(500_000_000L, 64L << 20, 100L), new LogOptions(5L << 20, 2)));
    ServiceSpecValidator.check(s, with(new ResourceLimits(ServiceLimitsCheck.MIN_NANO_CPUS, 6L << 20, 1L), new LogOptions(1024L, 1)));
    ServiceSpecValidator.check(s, with(new ResourceLimits(null, null, 4_194_304L), new LogOptions(null, 100)));
    ServiceSpecValidator.check(s, with(null, null));
  }

  @Test
  void eachLimitOutOfRangeIsRefusedNamingItsFieldAndRange() {
    refused("limits.nanoCpus", "0.01 to 1024 cores", with(new ResourceLimits(9_999_999L, null, null), null));
    refused("limits.nanoCpus", "0.01 to 1024 cores", with(new ResourceLimits(1025 * ResourceLimits.NANOS_PER_CPU, null, null), null));
    refused("limits.memoryBytes", "6 MiB to 64 TiB", with(new ResourceLimits(null, (6L << 20) - 1, null), null));
    refused("limits.memoryBytes", "6 MiB to 64 TiB", with(new ResourceLimits(null, -1L, null), null));
    refused("limits.pids", "1 to 4194304", with(new ResourceLimits(null, null, 0L), null));
    refused("limits.pids", "1 to 4194304", with(new ResourceLimits(null, null, 4_194_305L), null));
    refused("logOptions.maxSize", "1 KiB to 1 TiB", with(null, new LogOptions(1023L, null)));
    refused("logOptions.maxFile", "1 to 100", with(null, new LogOptions(null, 0)));
    refused("logOptions.maxFile", "1 to 100", with(null, new LogOptions(null, 101)));
  }

  @Test
  void aReservationAboveItsLimitIsRefused() {
    ServiceSpec base = spec("app", 2, "web");
    ServiceSpec big = new ServiceSpec(base.name(), base.mode(), base.replicas(), base.networks(), base.ports(),
        base.endpointMode(), base.constraints(), 1000, 128L << 20, base.env(), base.image(), base.command(), base.restart(),
        base.executor());
    refused("memory", "must not exceed limits.memoryBytes", big.withLimits(new ResourceLimits(null, 64L << 20, null), null));
    refused("cpus", "must not exceed limits.nanoCpus", big.withLimits(new ResourceLimits(500_000_000L, null, null), null));
  }
}
