package meshplane.workload;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What {@link Whoami} answers, in containous/whoami's format:
 * <pre>
 * Name: NAME                 (only with --name)
 * Hostname: web.1.abc        (the UTS namespace's, /proc/sys/kernel/hostname)
 * IP: 127.0.0.1              (every address of every interface, lo included)
 * IP: ::1
 * RemoteAddr: 10.0.0.5:40312 ([v6]:port for IPv6)
 * GET /path?q HTTP/1.1       (the request line)
 * Host: 10.0.0.3             (Host first, then the other headers sorted, names in canonical case)
 * User-Agent: curl/7.88.1
 * </pre>
 */
record WhoamiAnswer(String name, String hostname, List<String> ips, String remoteAddr, String requestLine,
    List<Map.Entry<String, String>> headers) {
  static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  static WhoamiAnswer of(String name, HttpExchange exchange) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    exchange.getRequestHeaders().forEach((key, values) -> {
      for (String value : values) {
        headers.add(Map.entry(canonical(key), value));
      }
    });
    headers.sort(Comparator.comparing((Map.Entry<String, String> h) -> !h.getKey().equals("Host"))
        .thenComparing(Map.Entry::getKey));
    String requestLine = exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + exchange.getProtocol();
    return new WhoamiAnswer(name, readHostname(), addresses(), socketAddress(exchange.getRemoteAddress()), requestLine,
        headers);
  }

  String text() {
    StringBuilder b = new StringBuilder();
    if (name != null) {
      b.append("Name: ").append(name).append('\n');
    }
    b.append("Hostname: ").append(hostname).append('\n');
    ips.forEach(ip -> b.append("IP: ").append(ip).append('\n'));
    b.append("RemoteAddr: ").append(remoteAddr).append('\n');
    b.append(requestLine).append('\n');
    headers.forEach(h -> b.append(h.getKey()).append(": ").append(h.getValue()).append('\n'));
    return b.toString();
  }

  static String readHostname() {
    try {
      return Files.readString(HOSTNAME).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("whoami cannot read " + HOSTNAME + ": " + e.getMessage(), e);
    }
  }

  /** Every address of every interface, by interface index, as {@code ip addr} prints them. */
  static List<String> addresses() {
    try {
      List<NetworkInterface> interfaces = new ArrayList<>(NetworkInterface.networkInterfaces().toList());
      interfaces.sort(Comparator.comparingInt(NetworkInterface::getIndex));
      List<String> ips = new ArrayList<>();
      for (NetworkInterface nic : interfaces) {
        nic.inetAddresses().forEach(a -> ips.add(text(a)));
      }
      return ips;
    } catch (SocketException e) {
      throw new UncheckedIOException("whoami cannot list the interfaces: " + e.getMessage(), e);
    }
  }

  static String socketAddress(InetSocketAddress address) {
    InetAddress ip = address.getAddress();
    return ip instanceof Inet6Address ? "[" + text(ip) + "]:" + address.getPort() : text(ip) + ":" + address.getPort();
  }

  /** An address without zone, IPv6 compressed as RFC 5952 says (the longest run of zero groups becomes ::). */
  static String text(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        s.append("::");
        i += bestLength - 1;
        continue;
      }
      if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
        s.append(':');
      }
      s.append(Integer.toHexString(groups[i]));
    }
    return s.toString();
  }

  /** Go's canonical header name: the first letter and every letter after '-' upper case, the rest lower. */
  static String canonical(String name) {
    StringBuilder s = new StringBuilder(name.length());
    boolean upper = true;
    for (char c : name.toCharArray()) {
      s.append(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
      upper = c == '-';
    }
    return s.toString();
  }
}
