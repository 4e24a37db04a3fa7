package meshplane.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one place meshplane configures Jackson. Two kinds, each a new mapper (callers keep theirs
 * in a constant and may add modules or indentation):
 * <ul>
 * <li>{@link #strict()} for documents meshplane owns and reads back itself: a desired state, the
 * Raft log and snapshots, {@code node.json}, {@code lab.json}. An unknown field or a null for a
 * number is refused, so a typo or a newer writer never loses a setting silently;
 * <li>{@link #lenient()} for the HTTP API, whose replies may come from a newer manager: unknown
 * fields are ignored.
 * </ul>
 * Both write records with no properties as {@code {}} instead of failing.
 */
public final class JsonMappers {
  private JsonMappers() {}

  public static ObjectMapper strict() {
    return JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }

  public static ObjectMapper lenient() {
    return JsonMapper.builder()
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }
}
