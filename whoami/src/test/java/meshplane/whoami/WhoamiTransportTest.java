package meshplane.whoami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class WhoamiTransportTest {
  @Test
  void autoPrefersIoUringThenEpoll() {
    String expected = IoUring.isAvailable() ? "io_uring" : "epoll";
    assertEquals(expected, WhoamiTransport.select(null).name());
    assertEquals(expected, WhoamiTransport.select("AUTO").name());
  }

  @Test
  void aForcedTransportIsThatOneOrRefusedWithNettysReason() {
    if (Epoll.isAvailable()) {
      assertEquals("epoll", WhoamiTransport.select("epoll").name());
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> WhoamiTransport.select("epoll"));
      assertTrue(e.getMessage().startsWith("whoami: transport epoll is not available: "), e.getMessage());
    }
    if (IoUring.isAvailable()) {
      assertEquals("io_uring", WhoamiTransport.select("io_uring").name());
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> WhoamiTransport.select("io_uring"));
      assertTrue(e.getMessage().startsWith("whoami: transport io_uring is not available: "), e.getMessage());
    }
  }

  @Test
  void anUnknownTransportIsRefusedNamingTheProperty() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> WhoamiTransport.select("nio"));
    assertTrue(e.getMessage().contains("\"nio\"") && e.getMessage().contains("-Dmeshplane.whoami.transport"),
        e.getMessage());
  }
}
