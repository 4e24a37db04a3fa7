package meshplane.nettyio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class NettyTransportTest {
  @Test
  void autoPrefersIoUringThenEpoll() {
    String expected = IoUring.isAvailable() ? "io_uring" : "epoll";
    assertEquals(expected, NettyTransport.select(TransportChoice.parse(null, "t"), "test").name());
    assertEquals(expected, NettyTransport.select(TransportChoice.parse("AUTO", "t"), "test").name());
  }

  @Test
  void aForcedTransportIsThatOneOrRefusedWithNettysReason() {
    if (Epoll.isAvailable()) {
      assertEquals("epoll", NettyTransport.select(TransportChoice.EPOLL, "whoami").name());
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> NettyTransport.select(TransportChoice.EPOLL, "whoami"));
      assertTrue(e.getMessage().startsWith("whoami: transport epoll is not available: "), e.getMessage());
    }
    if (IoUring.isAvailable()) {
      assertEquals("io_uring", NettyTransport.select(TransportChoice.IO_URING, "whoami").name());
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> NettyTransport.select(TransportChoice.IO_URING, "whoami"));
      assertTrue(e.getMessage().startsWith("whoami: transport io_uring is not available: "), e.getMessage());
    }
  }

  @Test
  void anUnknownTransportIsRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TransportChoice.parse("nio", "whoami: transport (-Dmeshplane.whoami.transport)"));
    assertTrue(e.getMessage().contains("\"nio\"") && e.getMessage().contains("-Dmeshplane.whoami.transport"),
        e.getMessage());
  }
}
