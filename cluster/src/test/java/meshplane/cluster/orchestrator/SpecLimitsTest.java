package meshplane.cluster.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import meshplane.cluster.model.ClusterState;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.ServiceSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A spec past a size limit is refused by the validator, naming the field and the limit; one at the limits passes. */
@Tag("unit")
class SpecLimitsTest {
  private static final ObjectMapper JSON = meshplane.json.JsonMappers.lenient()
      .registerModule(meshplane.dataplane.json.StateJson.module());
  private final ClusterState s = Fixtures.cluster(1);

  /** A spec from its JSON, as the API reads it: {@code name} and {@code image} set, {@code extra} on top. */
  private static ServiceSpec spec(Map<String, Object> extra) {
    Map<String, Object> m = new LinkedHashMap<>(Map.of("name", "web", "image", "sleep"));
    m.putAll(extra);
    return JSON.convertValue(m, ServiceSpec.class);
  }

  private InvalidRequestException refused(Map<String, Object> extra) {
    return assertThrows(InvalidRequestException.class, () -> ServiceSpecValidator.check(s, spec(extra)));
  }

  private static List<String> strings(int n, int length) {
    List<String> l = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      l.add(("a" + i + "x".repeat(length)).substring(0, Math.max(1, length)));
    }
    return l;
  }

  private static Map<String, String> env(int n, int valueLength) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      m.put("V" + i, "v".repeat(valueLength));
    }
    return m;
  }

  @Test
  void atTheLimitsASpecPasses() {
    ServiceSpecValidator.check(s, spec(Map.of("env", env(SpecLimits.MAX_ENV, 100), "command", strings(SpecLimits.MAX_ARGS, 100))));
  }

  @Test
  void eachLimitIsNamedWhenPassed() {
    InvalidRequestException e = refused(Map.of("env", env(SpecLimits.MAX_ENV + 1, 1)));
    assertEquals("env", e.field());
    assertTrue(e.getMessage().contains("257 variables, at most 256"), e.getMessage());

    e = refused(Map.of("env", Map.of("BIG", "v".repeat(SpecLimits.MAX_ENV_VALUE + 1))));
    assertEquals("env.BIG", e.field());
    assertTrue(e.getMessage().contains("at most " + SpecLimits.MAX_ENV_VALUE), e.getMessage());

    e = refused(Map.of("command", strings(SpecLimits.MAX_ARGS + 1, 2)));
    assertEquals("command", e.field());
    assertTrue(e.getMessage().contains("arguments, at most 256"), e.getMessage());

    e = refused(Map.of("command", List.of("sh", "x".repeat(SpecLimits.MAX_ARG + 1))));
    assertEquals("command[1]", e.field());

    e = refused(Map.of("command", strings(200, 2_000), "env", env(100, 1_000)));
    assertEquals("command", e.field());
    assertTrue(e.getMessage().contains("at most " + SpecLimits.MAX_EXEC_BYTES), e.getMessage());

    List<Map<String, Object>> ports = new ArrayList<>();
    for (int i = 0; i <= SpecLimits.MAX_PORTS; i++) {
      ports.add(Map.of("published", 10_000 + i, "target", 80));
    }
    e = refused(Map.of("ports", ports));
    assertEquals("ports", e.field());
    assertTrue(e.getMessage().contains("65 published ports, at most 64"), e.getMessage());

    e = refused(Map.of("constraints", strings(SpecLimits.MAX_CONSTRAINTS + 1, 10)));
    assertEquals("constraints", e.field());
    e = refused(Map.of("constraints", List.of("node.labels.zone==" + "a".repeat(SpecLimits.MAX_CONSTRAINT))));
    assertEquals("constraints[0]", e.field());

    e = refused(Map.of("image", "i".repeat(SpecLimits.MAX_IMAGE + 1)));
    assertEquals("image", e.field());
    e = refused(Map.of("networks", strings(SpecLimits.MAX_NETWORKS + 1, 3)));
    assertEquals("networks", e.field());
  }

  @Test
  void nodeLabelsAreBoundedToo() {
    Map<String, String> many = new LinkedHashMap<>();
    for (int i = 0; i <= SpecLimits.MAX_LABELS; i++) {
      many.put("k" + i, "v");
    }
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> SpecLimits.checkLabels("labelAdd", many));
    assertTrue(e.getMessage().contains("65 labels, at most 64"), e.getMessage());
    e = assertThrows(InvalidRequestException.class,
        () -> SpecLimits.checkLabels("labelAdd", Map.of("zone", "z".repeat(SpecLimits.MAX_LABEL_VALUE + 1))));
    assertEquals("labelAdd.zone", e.field());
  }
}
