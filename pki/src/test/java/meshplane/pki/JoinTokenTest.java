package meshplane.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.MessageDigest;
import java.math.BigInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class JoinTokenTest {
  @Test
  void aTokenNamesItsRootByDigestAndReadsBack() throws Exception {
    ClusterCa ca = ClusterCa.create();
    JoinToken t = JoinToken.generate(ca.root());
    assertTrue(t.text().matches("SWMTKN-1-[0-9a-z]{50}-[0-9a-z]{25}"), t.text());
    String expectedDigest = new BigInteger(1, MessageDigest.getInstance("SHA-256").digest(ca.root().getEncoded())).toString(36);
    assertTrue(t.text().startsWith("SWMTKN-1-" + "0".repeat(50 - expectedDigest.length()) + expectedDigest + "-"), t.text());
    JoinToken read = JoinToken.parse(" " + t.text() + "\n");
    assertTrue(read.namesRoot(ca.root()));
    assertTrue(t.admits(read));
    assertFalse(read.namesRoot(ClusterCa.create().root()), "another cluster's root is not the one named");
    assertFalse(t.admits(JoinToken.generate(ca.root())), "a new token of the same root is another secret");
    assertFalse(t.toString().contains(t.text().substring(60)), "toString hides the secret: " + t);
  }

  @Test
  void malformedTokensAreRefusedNamingThePart() {
    String digest = "a".repeat(50);
    assertEquals("join token is empty", assertThrows(IllegalArgumentException.class, () -> JoinToken.parse(" ")).getMessage());
    assertEquals("join token must read SWMTKN-1-<digest>-<secret>",
        assertThrows(IllegalArgumentException.class, () -> JoinToken.parse("hello")).getMessage());
    assertEquals("join token version 2 is not known (1 is)",
        assertThrows(IllegalArgumentException.class, () -> JoinToken.parse("SWMTKN-2-" + digest + "-" + "b".repeat(25))).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> JoinToken.parse("SWMTKN-1-ABC-" + "b".repeat(25)))
        .getMessage().contains("CA digest"));
    IllegalArgumentException secret = assertThrows(IllegalArgumentException.class,
        () -> JoinToken.parse("SWMTKN-1-" + digest + "-short"));
    assertTrue(secret.getMessage().contains("secret") && !secret.getMessage().contains("short"), secret.getMessage());
  }
}
