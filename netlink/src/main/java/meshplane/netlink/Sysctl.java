package meshplane.netlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Network sysctls inside a namespace ({@code sysctl -w net.ipv4.ip_forward=1} run there).
 * Only {@code net.*} keys are accepted: they are the per-namespace ones, so nothing written here
 * can change the machine's own settings.
 */
public final class Sysctl {
  private Sysctl() {}

  /** Writes {@code key} (dotted, e.g. net.ipv4.ip_forward) inside {@code ns}. */
  public static void write(NetNamespace ns, String key, String value) {
    Path p = pathOf(key);
    ns.run(() -> {
      try {
        Files.writeString(p, value + "\n", StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException("write sysctl " + key + "=" + value + " in " + ns, e);
      }
    });
  }

  /** Reads {@code key} inside {@code ns}, trimmed. */
  public static String read(NetNamespace ns, String key) {
    Path p = pathOf(key);
    return ns.call(() -> {
      try {
        return Files.readString(p, StandardCharsets.US_ASCII).trim();
      } catch (IOException e) {
        throw new UncheckedIOException("read sysctl " + key + " in " + ns, e);
      }
    });
  }

  /**
   * The /proc/sys path of a dotted key. A per-interface key names the interface between dots
   * ({@code net.ipv4.conf.eth0.forwarding}); an interface name containing dots is written with
   * '/' separators instead ({@code net/ipv4/conf/eth0.10/forwarding}).
   */
  static Path pathOf(String key) {
    String rel = key.contains("/") ? key : key.replace('.', '/');
    if (!rel.startsWith("net/") || rel.contains("..")) {
      throw new IllegalArgumentException(
          "sysctl key \"" + key + "\" must start with net. (only per-namespace keys may be set)");
    }
    return Path.of("/proc/sys").resolve(rel);
  }
}
