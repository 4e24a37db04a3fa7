package meshplane.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class IpvsadmTest {
  /** ipvsadm 1.31's {@code -Ln} for two services, as printed (two-space gaps included). */
  static final String LISTING = """
      IP Virtual Server version 1.2.1 (size=4096)
      Prot LocalAddress:Port Scheduler Flags
        -> RemoteAddress:Port           Forward Weight ActiveConn InActConn
      TCP  10.0.0.2:80 rr
        -> 10.0.1.5:8080                Masq    1      0          0
        -> 10.0.1.6:8080                Masq    2      1          3
      FWM  256 rr persistent 60
        -> 10.0.1.5:0                   Masq    1      0          0
      """;

  @Test
  void aListingIsServicesToTheirDestinationRows() {
    Map<String, List<List<String>>> listing = Ipvsadm.parse(LISTING);
    assertEquals(List.of("TCP 10.0.0.2:80 rr", "FWM 256 rr persistent 60"), List.copyOf(listing.keySet()));
    assertEquals(List.of("->", "10.0.1.6:8080", "Masq", "2", "1", "3"), Ipvsadm.destination(listing, "TCP 10.0.0.2:80", "10.0.1.6:8080"));
    assertEquals(1, Ipvsadm.rows(listing, "FWM 256").size());
    assertEquals(Map.of(), Ipvsadm.parse("IP Virtual Server version 1.2.1 (size=4096)\nProt LocalAddress:Port Scheduler Flags\n"));
  }

  @Test
  void aMissingServiceOrDestinationIsNamed() {
    Map<String, List<List<String>>> listing = Ipvsadm.parse(LISTING);
    AssertionError service = assertThrows(AssertionError.class, () -> Ipvsadm.rows(listing, "FWM 25"));
    assertTrue(service.getMessage().contains("no service FWM 25"), service.getMessage());
    AssertionError dest = assertThrows(AssertionError.class, () -> Ipvsadm.destination(listing, "TCP 10.0.0.2:80", "10.0.1.7:8080"));
    assertTrue(dest.getMessage().contains("no destination 10.0.1.7:8080 under TCP 10.0.0.2:80"), dest.getMessage());
  }

  @Test
  void aDestinationBeforeAnyServiceIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> Ipvsadm.parse("  -> 10.0.1.5:8080 Masq 1 0 0\n"));
    assertTrue(e.getMessage().contains("destination before any service"), e.getMessage());
  }
}
