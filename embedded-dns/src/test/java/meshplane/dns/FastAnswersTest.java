package meshplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The hot path gives what the full path gives (checked by parsing it with dnsjava), and declines the rest. */
@Tag("unit")
class FastAnswersTest {
  private final RecordTable table = RecordTable.from(DnsStates.valid("ns", 100));
  private final Map<String, byte[]> addrs = table.fastAddresses("ns-a");

  private Set<String> expected(String name) throws Exception {
    return ((LocalAnswer.Found) table.lookup(table.scopeOf("ns-a"), Name.fromString(name, Name.root), Type.A, 5))
        .answers().stream().map(Record::rdataToString).collect(Collectors.toSet());
  }

  @Test
  void sameAnswersAsTheFullPath() throws Exception {
    for (String name : new String[] {"web", "WeB", "tasks.web", "web.2.bbb", "cli.1.zzz", "a"}) {
      for (Integer edns : new Integer[] {null, 1232}) {
        Message q = DnsClient.query(name, Type.A, edns);
        q.getHeader().unsetFlag(Flags.RD);
        byte[] r = FastAnswers.answer(q.toWire(), addrs, 5, false);
        assertNotNull(r, name);
        Message m = new Message(r);
        assertEquals(q.getHeader().getID(), m.getHeader().getID());
        assertTrue(m.getHeader().getFlag(Flags.QR) && m.getHeader().getFlag(Flags.AA) && m.getHeader().getFlag(Flags.RA));
        assertEquals(false, m.getHeader().getFlag(Flags.RD), "RD echoed");
        assertEquals(q.getQuestion(), m.getQuestion(), "question as asked, case kept");
        assertEquals(expected(name), m.getSection(Section.ANSWER).stream().map(Record::rdataToString).collect(Collectors.toSet()));
        m.getSection(Section.ANSWER).forEach(a -> assertEquals(5, a.getTTL()));
        assertEquals(edns != null, m.getOPT() != null);
        assertEquals(r.length, m.toWire().length + 0 * 1, "no trailing bytes");
      }
    }
  }

  @Test
  void declinesWhatTheFullPathMustDecide() throws Exception {
    assertNull(FastAnswers.answer(DnsClient.query("web", Type.AAAA, null).toWire(), addrs, 5, false), "NODATA");
    assertNull(FastAnswers.answer(DnsClient.query("nosuch", Type.A, null).toWire(), addrs, 5, false), "forwarded");
    assertNull(FastAnswers.answer(DnsClient.query("tasks.big", Type.A, null).toWire(), addrs, 5, false), "needs TC at 512");
    assertNotNull(FastAnswers.answer(DnsClient.query("tasks.big", Type.A, null).toWire(), addrs, 5, true), "fits over TCP");
    byte[] resp = DnsClient.query("web", Type.A, null).toWire();
    resp[2] |= (byte) 0x80;
    assertNull(FastAnswers.answer(resp, addrs, 5, false), "a response");
    byte[] truncated = java.util.Arrays.copyOf(DnsClient.query("web", Type.A, null).toWire(), 16);
    assertNull(FastAnswers.answer(truncated, addrs, 5, false));
  }
}
