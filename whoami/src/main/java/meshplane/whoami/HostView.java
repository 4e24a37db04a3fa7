package meshplane.whoami;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What whoami sees of itself: the hostname of its UTS namespace and every address of every
 * interface of its network namespace, lo included, by interface index as {@code ip addr} prints
 * them (IPv6 as {@link WhoamiAnswer#text}).
 */
record HostView(String hostname, List<String> ips) {
  static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  HostView {
    ips = List.copyOf(ips);
  }

  /** Reads both now (some 40 us: /proc and the interface list). */
  static HostView read() {
    return new HostView(readHostname(), addresses());
  }

  static String readHostname() {
    try {
      return Files.readString(HOSTNAME).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("whoami cannot read " + HOSTNAME + ": " + e.getMessage(), e);
    }
  }

  static List<String> addresses() {
    try {
      List<NetworkInterface> interfaces = new ArrayList<>(NetworkInterface.networkInterfaces().toList());
      interfaces.sort(Comparator.comparingInt(NetworkInterface::getIndex));
      List<String> ips = new ArrayList<>();
      for (NetworkInterface nic : interfaces) {
        nic.inetAddresses().forEach(a -> ips.add(WhoamiAnswer.text(a)));
      }
      return ips;
    } catch (SocketException e) {
      throw new UncheckedIOException("whoami cannot list the interfaces: " + e.getMessage(), e);
    }
  }
}
