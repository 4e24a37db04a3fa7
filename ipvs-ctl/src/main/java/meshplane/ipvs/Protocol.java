package meshplane.ipvs;

import java.util.Locale;

/** The transport protocol of a virtual service: the {@code u16 IPVS_SVC_ATTR_PROTOCOL} (IPPROTO_*). */
public enum Protocol {
  TCP(6),
  UDP(17),
  SCTP(132);

  private final int number;

  Protocol(int number) {
    this.number = number;
  }

  /** The IPPROTO_* number. */
  public int number() {
    return number;
  }

  public static Protocol ofNumber(int number) {
    for (Protocol p : values()) {
      if (p.number == number) {
        return p;
      }
    }
    throw new IllegalStateException("IPVS reported protocol " + number + ", not tcp, udp or sctp");
  }

  /** "tcp", "udp", "sctp", as ipvsadm prints them. */
  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
