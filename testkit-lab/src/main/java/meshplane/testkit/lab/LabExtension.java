package meshplane.testkit.lab;

import java.security.SecureRandom;
import meshplane.lab.Lab;
import meshplane.lab.LabSpec;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a fresh lab of its own and always tears it down, passed or failed:
 *
 * <pre>
 *   &#64;RegisterExtension static final LabExtension LAB = new LabExtension(3);
 *   ... LAB.lab().run("node1", "ping", "-c1", "198.18.0.3")
 * </pre>
 *
 * Each lab gets a random name ({@code mp-tXXXXX-node1} ...), so it never meets a lab someone
 * started by hand with meshctl. Without root the class fails rather than skips.
 */
public final class LabExtension implements BeforeAllCallback, AfterAllCallback {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final int nodes;
  private Lab lab;
  private Thread shutdownHook;

  public LabExtension(int nodes) {
    this.nodes = nodes;
  }

  private static String randomName() {
    String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder sb = new StringBuilder("t");
    for (int i = 0; i < 5; i++) {
      sb.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    LabSpec spec = new LabSpec(randomName(), nodes);
    // A JVM killed mid-class still removes its lab.
    shutdownHook = new Thread(() -> Lab.down(spec.name()), "lab-down-" + spec.name());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    lab = Lab.up(spec);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (lab != null) {
      Lab.down(lab.name());
    }
    if (shutdownHook != null) {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    }
  }

  public Lab lab() {
    if (lab == null) {
      throw new IllegalStateException("the lab is made in @BeforeAll; use it from a test");
    }
    return lab;
  }
}
