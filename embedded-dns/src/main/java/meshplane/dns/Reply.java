package meshplane.dns;

import org.xbill.DNS.Message;

/** What to do with one packet read from a client. */
sealed interface Reply {

  /** Send these bytes back (an answer, NODATA, NXDOMAIN, FORMERR, NOTIMP). */
  record Respond(byte[] wire) implements Reply {}

  /** Not local: ask upstream; {@code maxSize} is what the client can take back over its transport. */
  record Forward(Message query, byte[] wire, int maxSize) implements Reply {}

  /** Say nothing (no header to answer, or a response sent to us). */
  record Drop() implements Reply {}

  Reply DROP = new Drop();
}
