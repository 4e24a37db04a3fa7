package meshplane.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Ethernet addresses as {@code ip link} prints them. */
@Tag("unit")
class MacAddressTest {

  @Test
  void parsesAndPrintsLowercaseColonSeparated() {
    MacAddress m = MacAddress.parse("02:42:C6:12:00:02");
    assertArrayEquals(new byte[] {0x02, 0x42, (byte) 0xc6, 0x12, 0x00, 0x02}, m.bytes());
    assertEquals("02:42:c6:12:00:02", m.toString());
    assertEquals(m, MacAddress.parse(m.toString()));
  }

  @Test
  void equalityIsByValue() {
    assertEquals(MacAddress.parse("02:42:0a:00:00:07"), new MacAddress(new byte[] {2, 0x42, 10, 0, 0, 7}));
    assertEquals(MacAddress.parse("02:42:0a:00:00:07").hashCode(), MacAddress.parse("02:42:0A:00:00:07").hashCode());
    assertNotEquals(MacAddress.parse("02:42:0a:00:00:07"), MacAddress.parse("02:42:0a:00:00:08"));
  }

  @Test
  void theBytesCannotBeChangedFromOutside() {
    byte[] raw = {2, 0, 0, 0, 0, 1};
    MacAddress m = new MacAddress(raw);
    raw[5] = 9;
    m.bytes()[5] = 9;
    assertEquals("02:00:00:00:00:01", m.toString());
  }

  @Test
  void badInputNamesTheRule() {
    IllegalArgumentException five = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:42:0a:00:00"));
    assertEquals("MAC address \"02:42:0a:00:00\" must be six hex pairs separated by ':'", five.getMessage());
    IllegalArgumentException single = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("2:42:0a:00:00:07"));
    assertEquals("MAC address \"2:42:0a:00:00:07\" must be six hex pairs separated by ':'", single.getMessage());
    IllegalArgumentException notHex = assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:42:0a:00:00:zz"));
    assertEquals("MAC address \"02:42:0a:00:00:zz\" must be six hex pairs separated by ':'", notHex.getMessage());
    IllegalArgumentException length = assertThrows(IllegalArgumentException.class, () -> new MacAddress(new byte[5]));
    assertEquals("MAC address must be 6 bytes, got 5", length.getMessage());
  }
}
