package meshplane.dataplane.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.List;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.InvalidStateException;
import meshplane.dataplane.StateValidator;
import meshplane.json.JsonMappers;

/**
 * Reads and writes {@link DataplaneState} as the JSON of docs/dataplane-state.md. Unknown fields
 * are refused (a typo must not silently drop a setting), as is anything that does not parse;
 * a state read is validated whole ({@link StateValidator}).
 */
public final class StateJson {
  private static final ObjectMapper JSON = JsonMappers.strict().enable(SerializationFeature.INDENT_OUTPUT);

  private StateJson() {}

  /** Parses and validates; any problem is an {@link InvalidStateException} naming the field. */
  public static DataplaneState parse(String json) {
    WireState w;
    try {
      w = JSON.readValue(json, WireState.class);
    } catch (JsonProcessingException e) {
      throw new InvalidStateException(List.of(where(e) + ": " + e.getOriginalMessage()));
    }
    return validated(w);
  }

  public static String write(DataplaneState s) {
    try {
      return JSON.writeValueAsString(WireWriter.write(s));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the data-plane state of " + s.node(), e);
    }
  }

  /**
   * A Jackson module that writes and reads {@link DataplaneState} as this document wherever it
   * is embedded (an assignment, an API reply); reading refuses what {@link #parse} refuses.
   */
  public static Module module() {
    SimpleModule m = new SimpleModule("meshplane-dataplane");
    m.addSerializer(DataplaneState.class, new JsonSerializer<>() {
      @Override
      public void serialize(DataplaneState s, JsonGenerator gen, SerializerProvider p) throws IOException {
        JSON.writerFor(WireState.class).without(SerializationFeature.INDENT_OUTPUT).writeValue(gen, WireWriter.write(s));
      }
    });
    m.addDeserializer(DataplaneState.class, new JsonDeserializer<>() {
      @Override
      public DataplaneState deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        WireState w = JSON.readerFor(WireState.class).readValue(p);
        try {
          return validated(w);
        } catch (InvalidStateException e) {
          throw JsonMappingException.from(p, e.getMessage(), e);
        }
      }
    });
    return m;
  }

  private static DataplaneState validated(WireState w) {
    DataplaneState s = WireReader.read(w);
    StateValidator.check(s);
    return s;
  }

  private static String where(JsonProcessingException e) {
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      // the wire records' names are not the document's: keep only the path inside it
      return m.getPathReference().replaceAll("meshplane\\.dataplane\\.json\\.WireState(\\$\\w+)?", "")
          .replaceFirst("^->", "");
    }
    return "document";
  }
}
