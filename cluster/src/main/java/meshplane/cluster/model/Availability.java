package meshplane.cluster.model;

import java.util.Locale;

/**
 * {@code docker node update --availability}: {@code active} takes new tasks, {@code pause} keeps
 * its tasks but takes no new ones, {@code drain} moves its tasks elsewhere.
 */
public enum Availability {
  ACTIVE, PAUSE, DRAIN;

  public static Availability parse(String s) {
    try {
      return valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InvalidRequestException("availability", "\"" + s + "\" must be active, pause or drain");
    }
  }

  public String lower() {
    return name().toLowerCase(Locale.ROOT);
  }
}
