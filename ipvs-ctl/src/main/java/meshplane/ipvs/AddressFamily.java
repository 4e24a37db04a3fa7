package meshplane.ipvs;

import java.net.Inet4Address;
import java.net.InetAddress;

/**
 * The address family of a service or destination, as the {@code u16 AF} attributes carry it
 * ({@code AF_INET} 2, {@code AF_INET6} 10), with the length of its addresses.
 */
public enum AddressFamily {
  INET(2, 4),
  INET6(10, 16);

  private final int code;
  private final int addressLength;

  AddressFamily(int code, int addressLength) {
    this.code = code;
    this.addressLength = addressLength;
  }

  /** The AF_* number. */
  public int code() {
    return code;
  }

  /** 4 or 16: how many bytes of the 16-byte nf_inet_addr an address of this family uses. */
  public int addressLength() {
    return addressLength;
  }

  /** The widest persistence netmask: /32 or /128. */
  public int maxPrefix() {
    return addressLength * 8;
  }

  public static AddressFamily of(InetAddress address) {
    return address instanceof Inet4Address ? INET : INET6;
  }

  public static AddressFamily ofCode(int code) {
    for (AddressFamily f : values()) {
      if (f.code == code) {
        return f;
      }
    }
    throw new IllegalStateException("IPVS reported address family " + code + ", neither AF_INET nor AF_INET6");
  }
}
