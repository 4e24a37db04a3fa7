package meshplane.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import meshplane.netlink.IpPrefix;

/**
 * The node's upstream resolvers: the {@code nameserver} lines of its resolv.conf, in order, port
 * 53. Lines that are not an address (a scoped IPv6 one, junk) are skipped, as glibc skips them;
 * 127.0.0.11 is skipped too, since that would be asking ourselves.
 */
public final class ResolvConf {
  private ResolvConf() {}

  public static List<InetSocketAddress> upstreams(Path resolvConf) {
    try {
      return parse(Files.readString(resolvConf));
    } catch (IOException e) {
      throw new UncheckedIOException("read upstream resolvers from " + resolvConf + ": " + e.getMessage(), e);
    }
  }

  static List<InetSocketAddress> parse(String text) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      String[] w = line.trim().split("\\s+");
      if (w.length >= 2 && w[0].equals("nameserver")) {
        try {
          InetAddress a = IpPrefix.literal(w[1], "nameserver");
          if (!a.getHostAddress().equals("127.0.0.11")) {
            out.add(new InetSocketAddress(a, 53));
          }
        } catch (IllegalArgumentException e) {
          // not an address literal: skipped, as glibc does
        }
      }
    }
    return List.copyOf(out);
  }
}
