package meshplane.dataplane;

import meshplane.dataplane.json.StateJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The optional task names the embedded DNS answers: accepted, round-tripped, omitted when absent, checked. */
@Tag("unit")
class TaskNamesTest {
  private static final String GOOD = StateValidatorTest.GOOD;

  @Test
  void taskNamesAreOptionalAndRoundTrip() {
    String named = GOOD.replace("\"iface\": \"eth0\"}", "\"iface\": \"eth0\", \"task\": \"web.1.x7k2\"}")
        .replace("{\"network\": \"web\", \"ip\": \"10.0.1.4\"}", "{\"network\": \"web\", \"ip\": \"10.0.1.4\", \"task\": \"web.2.q9p1\"}");
    DataplaneState s = StateJson.parse(named);
    assertEquals("web.1.x7k2", s.endpoints().get(0).task().orElseThrow());
    assertEquals("web.2.q9p1", s.services().get(0).backends().get(1).task().orElseThrow());
    assertEquals(s, StateJson.parse(StateJson.write(s)));
    assertFalse(StateJson.write(StateJson.parse(GOOD)).contains("task"), "absent names are not written as null");
  }

  @Test
  void aTaskNameMustBeADnsName() {
    String bad = GOOD.replace("\"iface\": \"eth0\"}", "\"iface\": \"eth0\", \"task\": \"web 1\"}")
        .replace("{\"network\": \"web\", \"ip\": \"10.0.1.4\"}", "{\"network\": \"web\", \"ip\": \"10.0.1.4\", \"task\": \"a..b\"}");
    List<String> p = assertThrows(InvalidStateException.class, () -> StateJson.parse(bad)).problems();
    assertEquals(List.of(
        "endpoints[0].task: \"web 1\" must be a DNS name: dot-separated labels of letters, digits, '-' and '_', each at most 63, at most 253 in all",
        "services[0].backends[1].task: \"a..b\" must be a DNS name: dot-separated labels of letters, digits, '-' and '_', each at most 63, at most 253 in all"), p);
  }
}
