package meshplane.cluster.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import meshplane.cluster.api.ApiClient;
import meshplane.cluster.model.LogOptions;
import meshplane.cluster.model.ResourceLimits;
import meshplane.cluster.model.ServiceMode;
import meshplane.cluster.model.ServiceSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code service update} of limits and log options: each field given replaces that field, the others stay. */
@Tag("unit")
class ServiceUpdateLimitsTest {
  private static final ServiceSpec SPEC = new ServiceSpec("web", ServiceMode.REPLICATED, 1, null, null, null, null, 0, 0,
      null, "sh", null, null, "process").withLimits(new ResourceLimits(500_000_000L, 64L << 20, null), new LogOptions(5L << 20, 2));

  private static ServiceUpdate body(String json) throws Exception {
    return ApiClient.JSON.readValue(json, ServiceUpdate.class);
  }

  @Test
  void aLimitGivenReplacesThatLimitOnly() throws Exception {
    ServiceUpdate u = body("{\"limits\":{\"memoryBytes\":134217728,\"pids\":50},\"logOptions\":{\"maxFile\":5}}");
    ServiceSpec s = u.applyTo(SPEC);
    assertEquals(new ResourceLimits(500_000_000L, 128L << 20, 50L), s.limits());
    assertEquals(new LogOptions(5L << 20, 5), s.logOptions());
    assertFalse(u.onlyReplicas(), "a new version: the tasks are replaced with the new limits");
  }

  @Test
  void anUpdateOfSomethingElseKeepsTheLimits() throws Exception {
    ServiceSpec s = body("{\"replicas\":3,\"image\":\"busybox\"}").applyTo(SPEC);
    assertEquals(SPEC.limits(), s.limits());
    assertEquals(SPEC.logOptions(), s.logOptions());
    ServiceSpec none = new ServiceSpec("web", ServiceMode.REPLICATED, 1, null, null, null, null, 0, 0, null, "sh", null, null,
        "process");
    assertEquals(new ResourceLimits(null, null, 8L), body("{\"limits\":{\"pids\":8}}").applyTo(none).limits());
  }
}
