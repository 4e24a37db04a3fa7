package meshplane.cluster.orchestrator;

import java.security.SecureRandom;

/** Ids from a {@link SecureRandom}: 25 characters of {@code [a-z0-9]} (about 129 bits). */
public final class RandomIds implements IdGenerator {
  static final int LENGTH = 25;
  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private final SecureRandom random = new SecureRandom();

  @Override
  public String newId() {
    char[] c = new char[LENGTH];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
    }
    return new String(c);
  }
}
