package meshplane.netlink;

import java.util.Arrays;
import java.util.HexFormat;

/** A 48-bit Ethernet address, printed and parsed as {@code 02:42:0a:00:00:02}. */
public record MacAddress(byte[] bytes) {
  public MacAddress {
    if (bytes.length != 6) {
      throw new IllegalArgumentException("MAC address must be 6 bytes, got " + bytes.length);
    }
    bytes = bytes.clone();
  }

  public static MacAddress parse(String text) {
    String[] parts = text.split(":");
    if (parts.length != 6) {
      throw new IllegalArgumentException("MAC address \"" + text + "\" must be six hex pairs separated by ':'");
    }
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      if (parts[i].length() != 2 || !HexFormat.isHexDigit(parts[i].charAt(0)) || !HexFormat.isHexDigit(parts[i].charAt(1))) {
        throw new IllegalArgumentException("MAC address \"" + text + "\" must be six hex pairs separated by ':'");
      }
      b[i] = (byte) HexFormat.fromHexDigits(parts[i]);
    }
    return new MacAddress(b);
  }

  @Override
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress m && Arrays.equals(bytes, m.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.ofDelimiter(":").formatHex(bytes);
  }
}
