package meshplane.dns;

import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hot path: a plain A question (one question, class IN, no compression, at most an EDNS
 * version 0 OPT) for a name that has addresses in the asker's scope is answered straight from
 * the query's bytes and the scope's precomputed addresses, without building a dnsjava message.
 * Anything else, or an answer that would not fit, returns null and takes the full path
 * ({@link QueryHandler}), which gives byte-for-byte the same answer up to the order of records.
 *
 * <p>The answer: the query's header with QR, AA, RA set and the counts rewritten; its question as
 * it came (case kept); one A record per address with a compression pointer to the question
 * (16 bytes each), in a random order; our OPT when the query had one.
 */
final class FastAnswers {
  private static final int TYPE_A = 1;
  private static final int CLASS_IN = 1;
  private static final int TYPE_OPT = 41;

  private FastAnswers() {}

  /**
   * The answer to {@code q}, or null when the full path must decide. {@code addresses} maps a
   * lowercase name to its addresses, 4 bytes each (see {@link RecordTable#fastAddresses}).
   */
  static byte[] answer(byte[] q, Map<String, byte[]> addresses, long ttl, boolean tcp) {
    int len = q.length;
    if (len < 17 || (q[2] & 0xF8) != 0 || q[4] != 0 || q[5] != 1 || q[6] != 0 || q[7] != 0 || q[8] != 0 || q[9] != 0
        || q[10] != 0 || (q[11] & 0xFE) != 0) {
      return null; // a response, another opcode, not one question, answers or authority present
    }
    boolean hasOpt = q[11] == 1;
    int p = 12;
    StringBuilder name = new StringBuilder(32);
    while (true) {
      if (p >= len) {
        return null;
      }
      int l = q[p] & 0xFF;
      if (l == 0) {
        p++;
        break;
      }
      if (l > 63 || p + 1 + l > len || p - 12 + 1 + l > 254) {
        return null; // a compression pointer, or past the end: the full path says FORMERR or answers
      }
      if (name.length() > 0) {
        name.append('.');
      }
      for (int i = p + 1; i <= p + l; i++) {
        int c = q[i] & 0xFF;
        if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
          if (c >= 'A' && c <= 'Z') {
            c += 32;
          } else {
            return null; // a byte dnsjava would escape: let it
          }
        }
        name.append((char) c);
      }
      p += 1 + l;
    }
    int questionEnd = p + 4;
    if (questionEnd > len || u16(q, p) != TYPE_A || u16(q, p + 2) != CLASS_IN) {
      return null;
    }
    int limit = 512;
    if (hasOpt) {
      // exactly one OPT: root owner, type 41, class = payload size, ttl = ext-rcode/version/flags
      if (questionEnd + 11 > len || q[questionEnd] != 0 || u16(q, questionEnd + 1) != TYPE_OPT
          || q[questionEnd + 6] != 0 || questionEnd + 11 + u16(q, questionEnd + 9) != len) {
        return null;
      }
      limit = Math.max(512, Math.min(u16(q, questionEnd + 3), QueryHandler.MAX_UDP));
    } else if (questionEnd != len) {
      return null;
    }
    if (tcp) {
      limit = QueryHandler.MAX_TCP;
    }
    byte[] addrs = addresses.get(name.toString());
    if (addrs == null) {
      return null;
    }
    int n = addrs.length / 4;
    int size = questionEnd + 16 * n + (hasOpt ? 11 : 0);
    if (size > limit || n > 0xFFFF) {
      return null; // truncation: the full path does it by whole records
    }
    byte[] r = new byte[size];
    System.arraycopy(q, 0, r, 0, questionEnd);
    r[2] = (byte) (0x80 | 0x04 | (q[2] & 0x01)); // QR, AA, RD echoed
    r[3] = (byte) 0x80; // RA, NOERROR
    r[6] = (byte) (n >> 8);
    r[7] = (byte) n;
    r[10] = 0;
    r[11] = (byte) (hasOpt ? 1 : 0);
    int at = questionEnd;
    int[] order = shuffled(n);
    for (int k = 0; k < n; k++) {
      int i = order == null ? k : order[k];
      r[at] = (byte) 0xC0;
      r[at + 1] = 12;
      r[at + 2] = 0;
      r[at + 3] = TYPE_A;
      r[at + 4] = 0;
      r[at + 5] = CLASS_IN;
      r[at + 6] = (byte) (ttl >> 24);
      r[at + 7] = (byte) (ttl >> 16);
      r[at + 8] = (byte) (ttl >> 8);
      r[at + 9] = (byte) ttl;
      r[at + 10] = 0;
      r[at + 11] = 4;
      System.arraycopy(addrs, i * 4, r, at + 12, 4);
      at += 16;
    }
    if (hasOpt) {
      r[at] = 0;
      r[at + 1] = 0;
      r[at + 2] = TYPE_OPT;
      r[at + 3] = (byte) (QueryHandler.OUR_EDNS_PAYLOAD >> 8);
      r[at + 4] = (byte) QueryHandler.OUR_EDNS_PAYLOAD;
      // ttl (extended rcode, version, flags) and rdlength: zero
    }
    return r;
  }

  /** A random permutation for small answer sets; null for one or none (nothing to shuffle). */
  private static int[] shuffled(int n) {
    if (n < 2) {
      return null;
    }
    int[] o = new int[n];
    for (int i = 0; i < n; i++) {
      o[i] = i;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = o[i];
      o[i] = o[j];
      o[j] = t;
    }
    return o;
  }

  private static int u16(byte[] b, int i) {
    return ((b[i] & 0xFF) << 8) | (b[i + 1] & 0xFF);
  }
}
