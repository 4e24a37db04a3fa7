package meshplane.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import meshplane.cluster.api.ApiClient;

/** Reading the API's JSON answers leniently: lists bare or wrapped, enums in any case, missing fields. */
final class Json {
  private Json() {}

  /** The answer's items: the array itself, or the array under {@code key} (or the only array field). */
  static List<JsonNode> items(JsonNode answer, String key) {
    JsonNode arr = answer;
    if (answer != null && answer.isObject()) {
      arr = answer.get(key);
      if (arr == null) {
        for (JsonNode v : answer) {
          if (v.isArray()) {
            arr = v;
            break;
          }
        }
      }
    }
    List<JsonNode> out = new ArrayList<>();
    if (arr != null && arr.isArray()) {
      arr.forEach(out::add);
    } else if (arr != null && arr.isObject()) {
      arr.forEach(out::add); // a map by id
    }
    return out;
  }

  /** The first present text among {@code fields}, else "". */
  static String text(JsonNode n, String... fields) {
    for (String f : fields) {
      JsonNode v = n.get(f);
      if (v != null && !v.isNull()) {
        return v.asText();
      }
    }
    return "";
  }

  /** An enum's value lower case ({@code "RUNNING"} -> {@code running}). */
  static String lower(JsonNode n, String field) {
    return text(n, field).toLowerCase(Locale.ROOT);
  }

  /** {@code running} -> {@code Running}, as docker shows states. */
  static String capital(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1).toLowerCase(Locale.ROOT);
  }

  static String pretty(Object v) {
    try {
      return ApiClient.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(v);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot print JSON: " + e.getOriginalMessage(), e);
    }
  }

  static String shortId(String id, int n) {
    return id.length() <= n ? id : id.substring(0, n);
  }

  /** A path segment, percent-encoded. */
  static String seg(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
  }
}
