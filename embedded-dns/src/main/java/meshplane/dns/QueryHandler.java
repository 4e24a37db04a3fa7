package meshplane.dns;

import java.io.IOException;
import java.util.Set;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One packet from a client in, one {@link Reply} out; no transport, no threads of its own.
 *
 * <ul>
 *   <li>fewer than 12 bytes (no header to answer) or a response (QR set): dropped;</li>
 *   <li>an opcode other than QUERY, a zone transfer: NOTIMP;</li>
 *   <li>anything dnsjava cannot parse, or not exactly one question: FORMERR, header only, with the
 *       query's id;</li>
 *   <li>a class IN name the asking task's networks hold: answered here (AA set), NODATA or
 *       NXDOMAIN as {@link RecordTable} says;</li>
 *   <li>everything else: forwarded upstream.</li>
 * </ul>
 *
 * Answers over UDP are cut to what the client can take (512 bytes, or its EDNS payload size up to
 * {@value #MAX_UDP}) by dropping whole records and setting TC, so it asks again over TCP.
 */
final class QueryHandler {
  /** The most we send in one UDP response, whatever the client advertises. */
  static final int MAX_UDP = 4096;
  /** The EDNS payload size we advertise (the DNS flag day's 1232: no IP fragmentation). */
  static final int OUR_EDNS_PAYLOAD = 1232;
  static final int MAX_TCP = 65535;

  private final long ttl;
  private final DnsCounters counters;

  QueryHandler(long ttl, DnsCounters counters) {
    this.ttl = ttl;
    this.counters = counters;
  }

  /** The reply to {@code wire}, asked from {@code namespace} (its networks are the scope). */
  Reply handle(byte[] wire, RecordTable table, String namespace, boolean tcp) {
    counters.received.increment();
    byte[] fast = FastAnswers.answer(wire, table.fastAddresses(namespace), ttl, tcp);
    if (fast != null) {
      counters.local.increment();
      return new Reply.Respond(fast);
    }
    Set<String> scope = table.scopeOf(namespace);
    if (wire.length < Header.LENGTH || (wire[2] & 0x80) != 0) {
      counters.dropped.increment();
      return Reply.DROP;
    }
    int opcode = (wire[2] >> 3) & 0xF;
    if (opcode != Opcode.QUERY) {
      counters.notimp.increment();
      return new Reply.Respond(headerOnly(wire, Rcode.NOTIMP));
    }
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException | RuntimeException e) {
      counters.formerr.increment();
      return new Reply.Respond(headerOnly(wire, Rcode.FORMERR));
    }
    Record question = query.getQuestion();
    if (question == null || query.getHeader().getCount(Section.QUESTION) != 1) {
      counters.formerr.increment();
      return new Reply.Respond(headerOnly(wire, Rcode.FORMERR));
    }
    int qtype = question.getType();
    if (qtype == Type.AXFR || qtype == Type.IXFR) {
      counters.notimp.increment();
      return new Reply.Respond(headerOnly(wire, Rcode.NOTIMP));
    }
    int maxSize = tcp ? MAX_TCP : udpLimit(query.getOPT());
    LocalAnswer local = question.getDClass() == DClass.IN
        ? table.lookup(scope, question.getName(), qtype, ttl) : LocalAnswer.NOT_LOCAL;
    if (local instanceof LocalAnswer.NotLocal) {
      counters.forwarded.increment();
      return new Reply.Forward(query, wire, maxSize);
    }
    Message r = response(query);
    if (local instanceof LocalAnswer.Found f) {
      f.answers().forEach(a -> r.addRecord(a, Section.ANSWER));
      f.additional().forEach(a -> r.addRecord(a, Section.ADDITIONAL));
      counters.local.increment();
    } else if (local instanceof LocalAnswer.NxDomain) {
      r.getHeader().setRcode(Rcode.NXDOMAIN);
      counters.nxdomain.increment();
    } else {
      counters.nodata.increment();
    }
    return new Reply.Respond(fit(r, maxSize));
  }

  /** What a UDP client can take back: 512 without EDNS, else its payload size within [512, MAX_UDP]. */
  static int udpLimit(OPTRecord opt) {
    if (opt == null) {
      return 512;
    }
    return Math.max(512, Math.min(opt.getPayloadSize(), MAX_UDP));
  }

  /** An authoritative response skeleton for {@code query}: its id, question, RD echoed, RA, EDNS if it had it. */
  private static Message response(Message query) {
    Message r = new Message(query.getHeader().getID());
    Header h = r.getHeader();
    h.setFlag(Flags.QR);
    h.setFlag(Flags.AA);
    h.setFlag(Flags.RA);
    if (query.getHeader().getFlag(Flags.RD)) {
      h.setFlag(Flags.RD);
    }
    r.addRecord(query.getQuestion(), Section.QUESTION);
    if (query.getOPT() != null) {
      r.addRecord(new OPTRecord(OUR_EDNS_PAYLOAD, 0, 0), Section.ADDITIONAL);
    }
    return r;
  }

  /** The wire form within {@code maxSize}: whole records dropped and TC set when it does not fit. */
  byte[] fit(Message r, int maxSize) {
    byte[] out = r.toWire(maxSize);
    if ((out[2] & 0x02) != 0) {
      counters.truncated.increment();
    }
    return out;
  }

  /** A bare header answering {@code wire}: its id, QR, its opcode and RD, the rcode, no sections. */
  static byte[] headerOnly(byte[] wire, int rcode) {
    byte[] h = new byte[Header.LENGTH];
    h[0] = wire[0];
    h[1] = wire[1];
    h[2] = (byte) (0x80 | (wire[2] & 0x79));
    h[3] = (byte) (0x80 | (rcode & 0xF));
    return h;
  }

  /** SERVFAIL for a query that could not be forwarded: its id, question and RD, RA set. */
  static byte[] servfail(Message query, int maxSize) {
    Message r = response(query);
    r.getHeader().unsetFlag(Flags.AA);
    r.getHeader().setRcode(Rcode.SERVFAIL);
    return r.toWire(maxSize);
  }
}
