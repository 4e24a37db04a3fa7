package meshplane.cluster.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The Raft log's encoding: one version byte ({@link #VERSION}) then the command as JSON with its
 * {@code op}. Strict: a field this build does not know, behind a version byte it reads, is an
 * error naming the entry's op and the field's path, never dropped (a replica that dropped it would
 * apply something else than its peers, and its next snapshot would lose it). A replica that cannot
 * decode an entry stops with an error naming the index rather than skipping it (replicas must never
 * diverge silently).
 *
 * <p>Snapshots are the state's JSON (maps sorted by id), read just as strictly: a snapshot this
 * build wrote reads back to the same state and re-encodes to the same bytes; one with a field it
 * does not know (written by a newer build) is refused instead of being loaded without it.
 */
public final class CommandCodec {
  public static final byte VERSION = 1;
  /** The log's and the snapshots' mapper: unknown fields fail. */
  public static final ObjectMapper JSON = meshplane.json.JsonMappers.strict();

  private CommandCodec() {}

  public static byte[] encode(Command c) {
    try {
      byte[] json = JSON.writeValueAsBytes(c);
      byte[] out = new byte[json.length + 1];
      out[0] = VERSION;
      System.arraycopy(json, 0, out, 1, json.length);
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + c.getClass().getSimpleName(), e);
    }
  }

  public static Command decode(byte[] bytes) {
    if (bytes.length == 0 || bytes[0] != VERSION) {
      throw new IllegalArgumentException("log entry of version " + (bytes.length == 0 ? "none" : bytes[0])
          + ", this build reads version " + VERSION);
    }
    try {
      return JSON.readValue(bytes, 1, bytes.length - 1, Command.class);
    } catch (IOException e) {
      String op = op(bytes);
      throw new IllegalArgumentException("undecodable log entry" + (op == null ? "" : " " + op) + ": " + why(e)
          + " (" + new String(bytes, 1, Math.min(200, bytes.length - 1), StandardCharsets.UTF_8) + ")", e);
    }
  }

  public static byte[] encodeState(ClusterState s) {
    try {
      return JSON.writeValueAsBytes(s);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode the cluster state", e);
    }
  }

  public static ClusterState decodeState(byte[] bytes) {
    try {
      return JSON.readValue(bytes, ClusterState.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("undecodable cluster state snapshot: " + why(e), e);
    }
  }

  /** The entry's {@code op}, when its JSON has one at the top. */
  private static String op(byte[] bytes) {
    try {
      var tree = JSON.readTree(new String(bytes, 1, bytes.length - 1, StandardCharsets.UTF_8));
      return tree != null && tree.path("op").isTextual() ? tree.path("op").asText() : null;
    } catch (JsonProcessingException notJson) {
      return null;
    }
  }

  /** An unknown field as its path ({@code node.labelz}) and the record that lacks it; else Jackson's message. */
  private static String why(IOException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      return "unknown field \"" + u.getPropertyName() + "\" at " + path(u) + " (" + u.getReferringClass().getSimpleName()
          + " has no such field)";
    }
    return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
  }

  private static String path(JsonMappingException e) {
    return e.getPath().stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining(".")).replace(".[", "[");
  }
}
