package meshplane.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address with a prefix length, {@code 10.0.0.2/24}: an interface address, or a route
 * destination. The address keeps its host bits; {@link #network()} clears them.
 */
public record IpPrefix(InetAddress address, int length) {
  public IpPrefix {
    int max = address instanceof Inet4Address ? 32 : 128;
    if (length < 0 || length > max) {
      throw new IllegalArgumentException("prefix length " + length + " of " + address.getHostAddress()
          + " must be between 0 and " + max);
    }
  }

  /** Parses {@code a.b.c.d/len} (or an IPv6 literal with /len); a bare address is a host prefix. */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    String addr = slash < 0 ? text : text.substring(0, slash);
    InetAddress a = literal(addr, text);
    int max = a instanceof Inet4Address ? 32 : 128;
    int len;
    try {
      len = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("prefix \"" + text + "\" has a prefix length that is not a number");
    }
    return new IpPrefix(a, len);
  }

  private static final java.util.regex.Pattern IPV4 =
      java.util.regex.Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /**
   * Parses an IP literal without ever resolving a name: only a dotted quad or text with a ':'
   * made of hex digits, ':' and '.' is handed to the JDK, which then parses it as a literal.
   */
  public static InetAddress literal(String addr, String context) {
    byte[] v4 = dottedQuad(addr);
    if (v4 != null) {
      try {
        return InetAddress.getByAddress(v4);
      } catch (UnknownHostException e) {
        throw new IllegalStateException(e);
      }
    }
    if (!IPV4.matcher(addr).matches() && !IPV6.matcher(addr).matches()) {
      throw new IllegalArgumentException("\"" + context + "\" is not an IP address");
    }
    try {
      return InetAddress.getByName(addr);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("\"" + context + "\" is not an IP address");
    }
  }

  /** The four bytes of a strict dotted quad (each part 0-255, 1-3 digits), or null: the fast path of {@link #literal}. */
  private static byte[] dottedQuad(String s) {
    byte[] b = new byte[4];
    int part = 0;
    int value = 0;
    int digits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null; // a leading zero ("01") is not a strict dotted quad
        }
        value = value * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else if (c == '.' && digits > 0 && part < 3) {
        b[part++] = (byte) value;
        value = 0;
        digits = 0;
      } else {
        return null;
      }
    }
    if (part != 3 || digits == 0) {
      return null;
    }
    b[3] = (byte) value;
    return b;
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  /** The network address: host bits cleared. */
  public IpPrefix network() {
    byte[] b = address.getAddress();
    for (int i = 0; i < b.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, length - i * 8));
      b[i] &= (byte) (0xff << (8 - bitsHere));
    }
    try {
      return new IpPrefix(InetAddress.getByAddress(b), length);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int toInt(byte[] b) {
    return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
  }

  /** Whether {@code other} lies inside this prefix. */
  public boolean contains(InetAddress other) {
    if (other instanceof Inet4Address && address instanceof Inet4Address) {
      int mask = length == 0 ? 0 : -1 << (32 - length);
      return (toInt(other.getAddress()) & mask) == (toInt(address.getAddress()) & mask);
    }
    if (other.getAddress().length != address.getAddress().length) {
      return false;
    }
    return new IpPrefix(other, length).network().equals(network());
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + length;
  }
}
