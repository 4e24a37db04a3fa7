package meshplane.whoami;

import java.util.List;

/**
 * The one place the JVM options of a whoami task are chosen, for a small resident set (one JVM
 * per task): the node's executor puts them before {@link Whoami}'s class name.
 */
public final class WhoamiJvm {
  public static final List<String> FLAGS = List.of(
      "-Xmx48m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData");

  private WhoamiJvm() {}
}
