package meshplane.dns;

import java.util.List;
import org.xbill.DNS.Record;

/** What the local records say about one question, before it is put in a message. */
sealed interface LocalAnswer {

  /**
   * The name exists with records of the asked type (already shuffled, owner = the asked name);
   * {@code additional} holds the addresses of SRV targets.
   */
  record Found(List<Record> answers, List<Record> additional) implements LocalAnswer {}

  /** The name exists, but not with the asked type: NOERROR with an empty answer (NODATA). */
  record NoData() implements LocalAnswer {}

  /** The name is one of ours and does not exist (a reverse name inside a network we serve). */
  record NxDomain() implements LocalAnswer {}

  /** Not a name the asking task's networks hold: forward it upstream. */
  record NotLocal() implements LocalAnswer {}

  LocalAnswer NO_DATA = new NoData();
  LocalAnswer NX_DOMAIN = new NxDomain();
  LocalAnswer NOT_LOCAL = new NotLocal();
}
