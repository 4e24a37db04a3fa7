package meshplane.cluster.api;

import java.io.IOException;
import java.util.Map;
import meshplane.cluster.model.InvalidRequestException;

/**
 * One request as a handler sees it: method, path (as the request wrote it, percent-encoded), the
 * path's {@code {variables}} (decoded once), the query's
 * parameters (last value wins), the body's bytes, and who sent it ({@link Caller}: as the
 * connection proved it, or as the forwarding manager named it).
 */
public record ApiRequest(String method, String path, Map<String, String> vars, Map<String, String> query, byte[] body,
    Caller caller) {

  /** The node the caller's certificate names; a 403 when the caller holds no node certificate. */
  public String callerNode() {
    if (caller instanceof Caller.Certified c && c.isNode()) {
      return c.identity().nodeId();
    }
    throw new ApiFailure(403, method + " " + path + " is a node's own call: it needs the node's certificate; the caller is "
        + caller.describe());
  }

  public String var(String name) {
    return vars.get(name);
  }

  public String param(String name, String fallback) {
    return query.getOrDefault(name, fallback);
  }

  public boolean flag(String name) {
    String v = query.get(name);
    return v != null && (v.isEmpty() || v.equals("1") || v.equalsIgnoreCase("true"));
  }

  public long longParam(String name, long fallback) {
    String v = query.get(name);
    if (v == null || v.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name, "\"" + v + "\" must be a whole number");
    }
  }

  /** {@code tail=N}: lines from the end of a log; {@code all} or none: -1, everything. */
  public int tail() {
    return "all".equals(param("tail", "all")) ? -1 : (int) Math.min(Integer.MAX_VALUE, longParam("tail", -1));
  }

  /** The body as {@code type}; an empty body is {@code {}}; bad JSON names the field it broke at. */
  public <T> T body(Class<T> type) {
    try {
      return ApiJson.MAPPER.readValue(body.length == 0 ? "{}".getBytes() : body, type);
    } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
      String where = e.getPath().isEmpty() ? "body" : e.getPathReference().replaceAll("^.*\\[\"", "").replace("\"]", "");
      // a value refused by its type (an enum's "sctp" must be tcp or udp) says the rule itself
      String rule = e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage() : e.getOriginalMessage();
      throw new InvalidRequestException(where, rule);
    } catch (IOException e) {
      throw new InvalidRequestException("body", "not JSON: " + e.getMessage());
    }
  }
}
