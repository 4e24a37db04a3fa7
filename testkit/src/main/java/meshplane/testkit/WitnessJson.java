package meshplane.testkit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Parses what a witness tool printed with {@code -j}; an error names the tool and shows its output. */
final class WitnessJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private WitnessJson() {}

  /** {@code out} parsed; iproute2 prints nothing at all for an empty list, read as {@code []}. */
  static JsonNode parse(String tool, String out) {
    try {
      return JSON.readTree(out.isBlank() ? "[]" : out);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(tool + " printed something that is not JSON (" + e.getOriginalMessage() + "): " + out, e);
    }
  }
}
