package meshplane.mesh.state;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;

/**
 * Reads and writes {@link DataplaneState} as the JSON of docs/dataplane-state.md. Unknown fields
 * are refused (a typo must not silently drop a setting), as is anything that does not parse.
 */
public final class StateJson {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private StateJson() {}

  /** Parses and validates; any problem is an {@link InvalidStateException} naming the field. */
  public static DataplaneState parse(String json) {
    DataplaneState s;
    try {
      s = JSON.readValue(json, DataplaneState.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      String where = e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()
          ? m.getPathReference() : "document";
      throw new InvalidStateException(java.util.List.of(where + ": " + e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidStateException(java.util.List.of("document: " + e.getMessage()));
    }
    StateValidator.check(s);
    return s;
  }

  public static String write(DataplaneState s) {
    try {
      return JSON.writeValueAsString(s);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
