package meshplane.whoami;

import java.util.List;

/**
 * The one place the JVM options of a whoami task are chosen, for a small resident set (one JVM
 * per task); the node's executor puts them before {@link Whoami}'s class name.
 *
 * <ul>
 *   <li>{@code -Xmx16m -Xmn4m}: the live set is a few MB (1,100 open connections stay under it);
 *       the heap's touched pages are the young generation plus what survives, so a small young
 *       generation keeps them few. Netty's direct memory is bounded by the same 16 MB.
 *   <li>{@code -XX:+UseSerialGC}: no GC threads, no remembered-set overhead.
 *   <li>{@code -XX:TieredStopAtLevel=1}: C1 only: less compiler memory; C2 was no faster here
 *       (one run at 64 connections: 48,000 vs 52,000 requests/s) and left 90 MB resident, not 66.
 *   <li>{@code -Xshare:auto}: the JDK's class-data archive, mapped and shared by every JVM on the node.
 *   <li>{@code -XX:-UsePerfData}: no hsperfdata file mapped per process.
 * </ul>
 * The measured RSS is in docs/executors.md.
 */
public final class WhoamiJvm {
  public static final List<String> FLAGS = List.of(
      "-Xmx16m", "-Xmn4m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData");

  private WhoamiJvm() {}
}
