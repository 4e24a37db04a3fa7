package meshplane.netlink;

import static meshplane.netlink.GoldenBytes.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import meshplane.netlink.rtnl.Rtnl;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cutting datagrams into messages. */
@Tag("unit")
class MessageTest {

  /**
   * One datagram of a dump holding two RTM_NEWADDR messages: {@code ip netns add mpt-golden;
   * ip -n mpt-golden link set lo up; ip -n mpt-golden addr add 198.18.0.1/32 dev lo; strace -x
   * -e trace=recvmsg -e read=all ip -n mpt-golden -4 addr show dev lo}.
   */
  static final byte[] ADDRESS_DUMP = hex(
      "4c 00 00 00 14 00 22 00  13 34 02 6b 59 14 00 00",
      "02 08 80 fe 01 00 00 00  08 00 01 00 7f 00 00 01",
      "08 00 02 00 7f 00 00 01  07 00 03 00 6c 6f 00 00",
      "08 00 08 00 80 00 00 00  14 00 06 00 ff ff ff ff",
      "ff ff ff ff 97 f5 09 00  97 f5 09 00 4c 00 00 00",
      "14 00 22 00 13 34 02 6b  59 14 00 00 02 20 80 00",
      "01 00 00 00 08 00 01 00  c6 12 00 01 08 00 02 00",
      "c6 12 00 01 07 00 03 00  6c 6f 00 00 08 00 08 00",
      "80 00 00 00 14 00 06 00  ff ff ff ff ff ff ff ff",
      "98 f5 09 00 98 f5 09 00");

  private static List<Message> split(byte[] b) {
    return Message.split(ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()));
  }

  @Test
  void splitsAMultiMessageDatagram() throws Exception {
    List<Message> ms = split(ADDRESS_DUMP);
    assertEquals(2, ms.size());
    for (Message m : ms) {
      assertEquals(Rtnl.RTM_NEWADDR, m.type());
      assertTrue(m.hasFlag(Nlmsg.NLM_F_MULTI));
      assertTrue(m.hasFlag(0x20), "NLM_F_DUMP_FILTERED: the kernel applied the dev filter");
      assertFalse(m.hasFlag(Nlmsg.NLM_F_MULTI | Nlmsg.NLM_F_ACK), "hasFlag wants every bit asked for");
      assertEquals(0x6b023413, m.seq());
      assertEquals(0x1459, m.portId());
      assertEquals(76 - 16, m.payload().remaining(), "the payload is the message minus its header");
    }
    assertEquals(8, ms.get(0).body().get(1), "prefix length of 127.0.0.1/8");
    assertEquals(InetAddress.getByName("127.0.0.1"),
        ms.get(0).attributes(Rtnl.IFADDRMSG_LEN).get(Rtnl.IFA_LOCAL).orElseThrow().address());
    assertEquals(32, ms.get(1).body().get(1));
    assertEquals(InetAddress.getByName("198.18.0.1"),
        ms.get(1).attributes(Rtnl.IFADDRMSG_LEN).get(Rtnl.IFA_LOCAL).orElseThrow().address());
  }

  @Test
  void payloadsAreViewsThatCannotWriteIntoTheDatagram() {
    Message m = split(ADDRESS_DUMP).get(1);
    assertTrue(m.payload().isReadOnly());
    ByteBuffer body = m.body();
    body.position(10);
    assertEquals(0, m.body().position(), "each body() is a fresh view at 0");
  }

  @Test
  void aMessageCutShortIsAnErrorNamingItsOffset() {
    byte[] cut = Arrays.copyOf(ADDRESS_DUMP, 100);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> split(cut));
    assertEquals("truncated netlink message at offset 76: length 76, 24 bytes left", e.getMessage());
  }

  @Test
  void aLengthShorterThanTheHeaderIsAnError() {
    byte[] bad = ADDRESS_DUMP.clone();
    bad[76] = 8; // the second message claims 8 bytes, less than nlmsghdr
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> split(bad));
    assertEquals("truncated netlink message at offset 76: length 8, 76 bytes left", e.getMessage());
  }

  @Test
  void theDoneThatEndsADump() {
    // the datagram after ADDRESS_DUMP: NLMSG_DONE, errno 0
    Message done = GoldenBytes.message(hex("14 00 00 00 03 00 22 00 13 34 02 6b 59 14 00 00 00 00 00 00"));
    assertEquals(Nlmsg.NLMSG_DONE, done.type());
    assertEquals(4, done.payload().remaining());
  }

  @Test
  void anEmptyDatagramHoldsNoMessages() {
    assertEquals(0, split(new byte[0]).size());
  }
}
