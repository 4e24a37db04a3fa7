package meshplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import meshplane.cli.MeshctlTest.Run;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.model.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code --limit-cpu/-memory/-pids} and {@code --log-opt} of service create and update: parsing and the request bodies. */
@Tag("unit")
class CliLimitFlagsTest {
  FakeApi api;

  @BeforeEach
  void start() throws Exception {
    api = new FakeApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void sizesCpusAndLogOptionsParse() {
    assertEquals(500_000_000L, TaskLimitFlags.nanoCpus("0.5"));
    assertEquals(2_000_000_000L, TaskLimitFlags.nanoCpus("2"));
    assertEquals(1L, TaskLimitFlags.nanoCpus("0.000000001"));
    assertThrows(IllegalArgumentException.class, () -> TaskLimitFlags.nanoCpus("0"));
    assertThrows(IllegalArgumentException.class, () -> TaskLimitFlags.nanoCpus("0.0000000001"));
    assertThrows(IllegalArgumentException.class, () -> TaskLimitFlags.nanoCpus("-1"));
    assertEquals(64L << 20, ByteSizes.parse("64m"));
    assertEquals(new LogOptions(5L << 20, null), TaskLimitFlags.logOpt("max-size=5m"));
    assertEquals(new LogOptions(null, 2), TaskLimitFlags.logOpt("max-file=2"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskLimitFlags.logOpt("compress=true"));
    assertTrue(e.getMessage().contains("max-size and max-file"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TaskLimitFlags.logOpt("max-file=two"));
    assertThrows(IllegalArgumentException.class, () -> TaskLimitFlags.logOpt("max-size"));
  }

  @Test
  void createSendsTheLimitsAndLogOptionsAndLeavesThemOutWhenNotGiven() throws Exception {
    api.answer("POST /v1/services", "{\"id\":\"s1\",\"name\":\"web\"}");
    Run r = api.meshctl("service", "create", "--name", "web", "--limit-cpu", "0.5", "--limit-memory", "64m",
        "--limit-pids", "100", "--log-opt", "max-size=5m", "--log-opt", "max-file=2", "-d", "busybox", "httpd");
    assertEquals(0, r.status(), r.err());
    JsonNode b = ApiClient.JSON.readTree(api.only("POST", "/v1/services").body());
    assertEquals(ApiClient.JSON.readTree("{\"nanoCpus\":500000000,\"memoryBytes\":67108864,\"pids\":100}"), b.path("limits"));
    assertEquals(ApiClient.JSON.readTree("{\"maxSize\":5242880,\"maxFile\":2}"), b.path("logOptions"));
    api.requests.clear();
    Run plain = api.meshctl("service", "create", "--name", "web", "-d", "busybox");
    assertEquals(0, plain.status(), plain.err());
    JsonNode p = ApiClient.JSON.readTree(api.only("POST", "/v1/services").body());
    assertTrue(!p.has("limits") && !p.has("logOptions"), p.toString());
  }

  @Test
  void updateSendsOnlyTheLimitsGiven() throws Exception {
    api.answer("GET /v1/services/web", "{\"id\":\"s1\",\"version\":2,\"spec\":{\"name\":\"web\",\"image\":\"busybox\"}}");
    api.answer("POST /v1/services/web/update", "{}");
    Run r = api.meshctl("service", "update", "--limit-memory", "128m", "--log-opt", "max-file=5", "-d", "web");
    assertEquals(0, r.status(), r.err());
    assertEquals(ApiClient.JSON.readTree("{\"limits\":{\"memoryBytes\":134217728},\"logOptions\":{\"maxFile\":5}}"),
        ApiClient.JSON.readTree(api.only("POST", "/v1/services/web/update").body()));
  }

  @Test
  void badValuesAreRefusedBeforeAnyRequest() {
    for (String[] args : new String[][] {
        {"service", "create", "--name", "w", "--limit-memory", "lots", "x"},
        {"service", "create", "--name", "w", "--limit-cpu", "half", "x"},
        {"service", "create", "--name", "w", "--log-opt", "compress=true", "x"},
        {"service", "update", "--limit-pids", "many", "w"}}) {
      Run r = api.meshctl(args);
      assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
      assertTrue(api.requests.isEmpty(), "requests were sent: " + api.requests);
    }
  }
}
