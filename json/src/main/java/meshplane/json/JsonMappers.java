package meshplane.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
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
 * Both write records with no properties as {@code {}} instead of failing. Both bound what they
 * read ({@link StreamReadConstraints}): the API's at most {@value #API_MAX_DEPTH} levels deep,
 * strings of at most {@value #API_MAX_STRING} characters and numbers of {@value #MAX_NUMBER}
 * digits (a request body is 1 MiB at most anyway); meshplane's own documents
 * {@value #OWN_MAX_DEPTH} levels deep and strings of Jackson's default limit (a snapshot holds PEMs
 * and every name). A deeper document or a longer string is refused naming the limit, before it is
 * built in memory.
 */
public final class JsonMappers {
  public static final int API_MAX_DEPTH = 32;
  public static final int API_MAX_STRING = 256 << 10;
  public static final int OWN_MAX_DEPTH = 64;
  public static final int MAX_NUMBER = 100;

  private JsonMappers() {}

  private static JsonFactory factory(int depth, int maxString) {
    return JsonFactory.builder().streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(depth)
        .maxStringLength(maxString).maxNumberLength(MAX_NUMBER).build()).build();
  }

  public static ObjectMapper strict() {
    return JsonMapper.builder(factory(OWN_MAX_DEPTH, StreamReadConstraints.DEFAULT_MAX_STRING_LEN))
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }

  public static ObjectMapper lenient() {
    return JsonMapper.builder(factory(API_MAX_DEPTH, API_MAX_STRING))
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
        .build();
  }
}
