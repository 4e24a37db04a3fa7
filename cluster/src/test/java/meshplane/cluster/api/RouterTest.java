package meshplane.cluster.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import meshplane.cluster.model.InvalidRequestException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A request path is split first and each segment decoded once: an escape never makes a separator, nor is decoded twice. */
@Tag("unit")
class RouterTest {
  private static final Router R = new Router().add("GET", "/v1/tasks/{id}/logs", Access.MANAGER,
      q -> CompletableFuture.completedFuture(ApiResponse.ok("x")));

  private static String id(String path) {
    Router.Match m = R.match("GET", path);
    assertEquals(200, m.status(), path);
    return m.vars().get("id");
  }

  @Test
  void eachSegmentIsDecodedOnceAfterTheSplit() {
    assertEquals("/tmp/x", id("/v1/tasks/%2Ftmp%2Fx/logs"), "an encoded '/' stays inside its segment");
    assertEquals("%2Ftmp", id("/v1/tasks/%252Ftmp/logs"), "decoded once, not twice");
    assertEquals("a+b c", id("/v1/tasks/a+b%20c/logs"), "a '+' is a '+' in a path");
    assertEquals(404, R.match("GET", "/v1/tasks/a/b/logs").status(), "a real '/' is a separator");
  }

  @Test
  void aMalformedEscapeIsA400NamingThePath() {
    InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> R.match("GET", "/v1/tasks/%zz/logs"));
    assertEquals("path", e.field());
  }
}
