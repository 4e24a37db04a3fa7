package meshplane.cluster.model;

/** IPv4 CIDR arithmetic for allocation: parse, overlap, the n-th host. */
public final class Subnets {
  private Subnets() {}

  /** {@code [network, prefixLength]} of "a.b.c.d/len", the network's host bits cleared. */
  public static int[] parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("\"" + cidr + "\" is not a.b.c.d/len");
    }
    int len = Integer.parseInt(cidr.substring(slash + 1));
    if (len < 0 || len > 32) {
      throw new IllegalArgumentException("\"" + cidr + "\": prefix length must be 0-32");
    }
    int addr = toInt(cidr.substring(0, slash));
    return new int[] {addr & mask(len), len};
  }

  public static int mask(int len) {
    return len == 0 ? 0 : -1 << (32 - len);
  }

  public static boolean overlap(String a, String b) {
    int[] x = parse(a);
    int[] y = parse(b);
    int m = mask(Math.min(x[1], y[1]));
    return (x[0] & m) == (y[0] & m);
  }

  public static boolean contains(String cidr, String ip) {
    int[] x = parse(cidr);
    return (toInt(ip) & mask(x[1])) == x[0];
  }

  public static int toInt(String ip) {
    String[] p = ip.split("\\.", -1);
    if (p.length != 4) {
      throw new IllegalArgumentException("\"" + ip + "\" is not a dotted-quad IPv4 address");
    }
    int v = 0;
    for (String s : p) {
      int b = Integer.parseInt(s);
      if (b < 0 || b > 255) {
        throw new IllegalArgumentException("\"" + ip + "\" is not a dotted-quad IPv4 address");
      }
      v = v << 8 | b;
    }
    return v;
  }

  public static String toIp(int v) {
    return (v >>> 24) + "." + (v >>> 16 & 255) + "." + (v >>> 8 & 255) + "." + (v & 255);
  }

  /** {@code 02:42} then the four address bytes, as Docker derives a container's MAC. */
  public static String macOf(String ip) {
    int v = toInt(ip);
    return String.format("02:42:%02x:%02x:%02x:%02x", v >>> 24, v >>> 16 & 255, v >>> 8 & 255, v & 255);
  }
}
