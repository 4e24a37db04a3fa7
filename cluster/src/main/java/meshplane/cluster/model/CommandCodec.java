package meshplane.cluster.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The Raft log's encoding: one version byte ({@link #VERSION}) then the command as JSON with its
 * {@code op}. A replica that cannot decode an entry stops with an error naming the index rather
 * than skipping it (replicas must never diverge silently). Snapshots are the state's JSON.
 */
public final class CommandCodec {
  public static final byte VERSION = 1;
  public static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
      throw new IllegalArgumentException("undecodable log entry: " + e.getMessage()
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
      throw new IllegalArgumentException("undecodable cluster state snapshot: " + e.getMessage(), e);
    }
  }
}
