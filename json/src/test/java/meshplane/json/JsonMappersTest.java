package meshplane.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JsonMappersTest {
  record Port(String protocol, int published) {}

  @Test
  void strictRefusesUnknownFieldsAndNullNumbersNamingThem() {
    UnrecognizedPropertyException e = assertThrows(UnrecognizedPropertyException.class,
        () -> JsonMappers.strict().readValue("{\"protocol\":\"tcp\",\"published\":80,\"publishd\":81}", Port.class));
    assertEquals("publishd", e.getPropertyName());
    MismatchedInputException n = assertThrows(MismatchedInputException.class,
        () -> JsonMappers.strict().readValue("{\"protocol\":\"tcp\",\"published\":null}", Port.class));
    assertTrue(n.getMessage().contains("published"), n.getMessage());
  }

  @Test
  void lenientIgnoresWhatANewerWriterAdded() throws Exception {
    assertEquals(new Port("tcp", 80), JsonMappers.lenient().readValue("{\"protocol\":\"tcp\",\"published\":80,\"mode\":\"host\"}", Port.class));
  }

  @Test
  void theApiMapperRefusesDeepNestingLongStringsAndLongNumbersNamingTheLimit() {
    String deep = "[".repeat(10_000) + "]".repeat(10_000);
    Exception d = assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
        () -> JsonMappers.lenient().readTree(deep));
    assertTrue(d.getMessage().contains("(" + JsonMappers.API_MAX_DEPTH + ","), d.getMessage());
    String longString = "{\"protocol\":\"" + "x".repeat(JsonMappers.API_MAX_STRING + 1) + "\"}";
    Exception l = assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
        () -> JsonMappers.lenient().readValue(longString, Port.class));
    assertTrue(l.getMessage().contains(String.valueOf(JsonMappers.API_MAX_STRING)), l.getMessage());
    Exception n = assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class,
        () -> JsonMappers.lenient().readValue("{\"published\":" + "9".repeat(500) + "}", Port.class));
    assertTrue(n.getMessage().contains("100"), n.getMessage());
  }

  @Test
  void ownDocumentsMayNestDeeperButNotWithoutBound() throws Exception {
    String ok = "[".repeat(JsonMappers.API_MAX_DEPTH + 10) + "]".repeat(JsonMappers.API_MAX_DEPTH + 10);
    JsonMappers.strict().readTree(ok);
    String deep = "[".repeat(JsonMappers.OWN_MAX_DEPTH + 1) + "]".repeat(JsonMappers.OWN_MAX_DEPTH + 1);
    assertThrows(com.fasterxml.jackson.core.JsonProcessingException.class, () -> JsonMappers.strict().readTree(deep));
  }
}
