package meshplane.cluster.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JoinTokensTest {
  private final JoinTokens tokens = new JoinTokens("SWMTKN-1-c1-workersecret", "SWMTKN-1-c1-managersecret");

  @Test
  void eachTokenGivesItsRoleAndNothingElseGivesOne() {
    assertEquals(NodeRole.MANAGER, tokens.roleOf("SWMTKN-1-c1-managersecret"));
    assertEquals(NodeRole.WORKER, tokens.roleOf("SWMTKN-1-c1-workersecret"));
    assertNull(tokens.roleOf(null));
    assertNull(tokens.roleOf(""));
    assertNull(tokens.roleOf("SWMTKN-1-c1-managersecre"), "a prefix is not the token");
    assertNull(tokens.roleOf("SWMTKN-1-c1-managersecretX"), "nor is a longer one");
    assertNull(new JoinTokens(null, null).roleOf("SWMTKN-1-c1-managersecret"));
  }
}
