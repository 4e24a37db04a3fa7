package meshplane.whoami;

import io.netty.handler.codec.http.HttpRequest;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
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

  /** {@code name} may be null; the headers as the decoder received them, a repeated one in its order. */
  static WhoamiAnswer of(String name, HostView self, HttpRequest request, InetSocketAddress remote) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(request.headers().size());
    for (Iterator<Map.Entry<String, String>> i = request.headers().iteratorAsString(); i.hasNext(); ) {
      Map.Entry<String, String> h = i.next();
      headers.add(Map.entry(canonical(h.getKey()), h.getValue()));
    }
    headers.sort(Comparator.comparing((Map.Entry<String, String> h) -> !h.getKey().equals("Host"))
        .thenComparing(Map.Entry::getKey));
    String requestLine = request.method().name() + " " + request.uri() + " " + request.protocolVersion().text();
    return new WhoamiAnswer(name, self.hostname(), self.ips(), socketAddress(remote), requestLine, headers);
  }

  String text() {
    StringBuilder b = new StringBuilder(256);
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
