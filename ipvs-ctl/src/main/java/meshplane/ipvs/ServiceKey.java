package meshplane.ipvs;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;
import meshplane.netlink.IpPrefix;

/**
 * What identifies a virtual service to the kernel: either (protocol, address, port), as
 * {@code ipvsadm -t/-u/--sctp-service ADDR:PORT}, or a firewall mark, as {@code ipvsadm -f MARK}
 * (Docker Swarm's VIPs are firewall-mark services). These are the attributes every service
 * command carries inside IPVS_CMD_ATTR_SERVICE; the rest of a service is its configuration.
 */
public sealed interface ServiceKey {

  AddressFamily family();

  /** A service on an address, as {@code ipvsadm -t 10.0.0.2:80}. */
  record ByAddress(Protocol protocol, InetAddress address, int port) implements ServiceKey {
    public ByAddress {
      Objects.requireNonNull(protocol, "protocol");
      Objects.requireNonNull(address, "address");
      checkPort(port, "service port");
    }

    @Override
    public AddressFamily family() {
      return AddressFamily.of(address);
    }

    /** "tcp 10.0.0.2:80", "udp [fd00::2]:53". */
    @Override
    public String toString() {
      return protocol + " " + hostPort(address, port);
    }
  }

  /** A service on a firewall mark, as {@code ipvsadm -f 256}; 0 is not a mark. */
  record ByMark(AddressFamily family, int mark) implements ServiceKey {
    public ByMark {
      Objects.requireNonNull(family, "family");
      if (mark == 0) {
        throw new IllegalArgumentException("firewall mark 0 means \"no mark\" to IPVS: use 1 to 0xffffffff");
      }
    }

    /** "fwmark 0x100", "fwmark 0x100 inet6". */
    @Override
    public String toString() {
      return "fwmark 0x" + Integer.toHexString(mark) + (family == AddressFamily.INET6 ? " inet6" : "");
    }
  }

  static ServiceKey tcp(String address, int port) {
    return new ByAddress(Protocol.TCP, IpPrefix.literal(address, address), port);
  }

  static ServiceKey udp(String address, int port) {
    return new ByAddress(Protocol.UDP, IpPrefix.literal(address, address), port);
  }

  /** An IPv4 firewall-mark service. */
  static ServiceKey fwmark(int mark) {
    return new ByMark(AddressFamily.INET, mark);
  }

  /** "10.0.0.2:80" or "[fd00::2]:80", as ipvsadm -Ln prints them. */
  static String hostPort(InetAddress address, int port) {
    return (address instanceof Inet6Address ? "[" + text(address) + "]" : address.getHostAddress()) + ":" + port;
  }

  /** An address as text; IPv6 with its longest run (two or more) of zero groups written "::". */
  static String text(InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return address.getHostAddress();
    }
    byte[] b = address.getAddress();
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && b[2 * j] == 0 && b[2 * j + 1] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff)));
    }
    return sb.toString();
  }

  static void checkPort(int port, String what) {
    if (port < 0 || port > 0xffff) {
      throw new IllegalArgumentException(what + " " + port + " must be 0 to 65535");
    }
  }
}
