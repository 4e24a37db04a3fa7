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
}
