package meshplane.cluster.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Routes {@code METHOD /path/{var}/...} to handlers. Routes can be added while serving (a node
 * that becomes a manager adds the manager's routes).
 */
public final class Router {

  @FunctionalInterface
  public interface Handler {
    CompletableFuture<ApiResponse> handle(ApiRequest request);
  }

  private record Route(String method, String[] parts, Access access, Handler handler) {}

  /**
   * Checks a caller before any route of a manager's runs (e.g. that a node's certificate is not
   * that of a removed node); throws the refusal.
   */
  @FunctionalInterface
  public interface Guard {
    /** {@code access}: the route's, for a check that depends on what is asked (a demoted node still speaks for itself). */
    void check(Caller caller, Access access);

    Guard NONE = (c, a) -> { };
  }

  private volatile Guard guard = Guard.NONE;

  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private volatile Handler fallback;

  /** What answers a path no route knows (e.g. "this node is not a manager"); null: 404. */
  public void fallback(Handler h) {
    this.fallback = h;
  }

  /** The guard every caller passes first ({@link Guard#NONE} until set). */
  public void guard(Guard g) {
    this.guard = g == null ? Guard.NONE : g;
  }

  public Guard guard() {
    return guard;
  }

  /** A route only a manager's identity may call ({@link Access#MANAGER}). */
  public Router add(String method, String pattern, Handler handler) {
    return add(method, pattern, Access.MANAGER, handler);
  }

  public Router add(String method, String pattern, Access access, Handler handler) {
    routes.add(new Route(method, split(pattern), access, handler));
    return this;
  }

  /** A handler that answers at once (runs on the caller's thread), for a manager's identity. */
  public Router addSync(String method, String pattern, java.util.function.Function<ApiRequest, Object> f) {
    return addSync(method, pattern, Access.MANAGER, f);
  }

  /** A handler that answers at once (runs on the caller's thread). */
  public Router addSync(String method, String pattern, Access access, java.util.function.Function<ApiRequest, Object> f) {
    return add(method, pattern, access, r -> {
      try {
        Object v = f.apply(r);
        return CompletableFuture.completedFuture(v instanceof ApiResponse a ? a : ApiResponse.ok(v));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    });
  }

  /** Removes every route whose pattern starts with {@code prefix}. */
  public void removePrefix(String prefix) {
    String[] p = split(prefix);
    routes.removeIf(r -> r.parts.length >= p.length && java.util.Arrays.equals(r.parts, 0, p.length, p, 0, p.length));
  }

  /**
   * The handler and the path's variables, or null when nothing matches (405 when only the method
   * differs). {@code path} is as the request wrote it (percent-encoded): decoded here, once.
   */
  public Match match(String method, String path) {
    String[] parts = split(path);
    boolean pathKnown = false;
    for (Route r : routes) {
      Map<String, String> vars = bind(r.parts, parts);
      if (vars == null) {
        continue;
      }
      if (r.method.equals(method)) {
        return new Match(r.handler, r.access, vars, 200);
      }
      pathKnown = true;
    }
    Handler f = fallback;
    if (!pathKnown && f != null) {
      return new Match(f, Access.JOIN, Map.of(), 200); // "not here" says only what this node is
    }
    return new Match(null, Access.JOIN, Map.of(), pathKnown ? 405 : 404);
  }

  public record Match(Handler handler, Access access, Map<String, String> vars, int status) {}

  private static Map<String, String> bind(String[] pattern, String[] parts) {
    if (pattern.length != parts.length) {
      return null;
    }
    Map<String, String> vars = new HashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        vars.put(p.substring(1, p.length() - 1), parts[i]);
      } else if (!p.equals(parts[i])) {
        return null;
      }
    }
    return vars;
  }

  /**
   * A path's segments, each percent-decoded once, after the split: {@code %2F} is a '/' inside a
   * segment (which an id check then refuses), never a separator, and {@code %252F} stays
   * {@code %2F}. A '+' is a '+' (form encoding is for queries). A malformed escape is a 400.
   */
  private static String[] split(String path) {
    List<String> out = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        try {
          out.add(java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          throw new meshplane.cluster.model.InvalidRequestException("path", "segment \"" + s + "\" has a malformed escape");
        }
      }
    }
    return out.toArray(String[]::new);
  }
}
