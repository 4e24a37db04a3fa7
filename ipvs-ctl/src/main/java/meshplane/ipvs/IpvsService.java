package meshplane.ipvs;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A virtual service: its {@link ServiceKey} and how it balances, as {@code ipvsadm -A} sets it.
 *
 * @param key               address:port:protocol or firewall mark
 * @param scheduler         IPVS_SVC_ATTR_SCHED_NAME, "rr", "wrr", "lc", "sh", ... (1 to 15 bytes)
 * @param flags             IP_VS_SVC_F_* bits, e.g. {@link #PERSISTENT}; sent with mask ~0 so
 *                          they replace the service's flags rather than add to them
 * @param timeoutSeconds    persistence timeout (IPVS_SVC_ATTR_TIMEOUT), used with PERSISTENT
 * @param netmask           persistence granularity as a prefix length, /32 or /128 by default
 * @param persistenceEngine IPVS_SVC_ATTR_PE_NAME ("sip"), empty for none
 */
public record IpvsService(ServiceKey key, String scheduler, int flags, int timeoutSeconds, int netmask,
    String persistenceEngine) {
  /** IP_VS_SVC_F_PERSISTENT: a client keeps its destination for {@code timeoutSeconds}. */
  public static final int PERSISTENT = 0x0001;
  /** IP_VS_SVC_F_ONEPACKET: one-packet scheduling (UDP), ipvsadm -o. */
  public static final int ONEPACKET = 0x0004;
  /** IP_VS_SVC_F_SCHED1..3: scheduler-specific flags (sh-fallback, sh-port, mh-...). */
  public static final int SCHED1 = 0x0008;
  public static final int SCHED2 = 0x0010;
  public static final int SCHED3 = 0x0020;

  public IpvsService {
    Objects.requireNonNull(key, "key");
    checkName(scheduler, "scheduler", IpvsNl.IP_VS_SCHEDNAME_MAXLEN, false);
    checkName(persistenceEngine, "persistence engine", IpvsNl.IP_VS_PENAME_MAXLEN, true);
    if ((flags & IpvsNl.IP_VS_SVC_F_HASHED) != 0) {
      throw new IllegalArgumentException("service flag 0x2 (IP_VS_SVC_F_HASHED) is the kernel's own and cannot be set");
    }
    if (timeoutSeconds < 0) {
      throw new IllegalArgumentException("persistence timeout " + timeoutSeconds + " s of " + key + " is negative");
    }
    int min = key.family() == AddressFamily.INET6 ? 1 : 0;
    if (netmask < min || netmask > key.family().maxPrefix()) {
      throw new IllegalArgumentException("persistence netmask /" + netmask + " of " + key + " must be /" + min
          + " to /" + key.family().maxPrefix());
    }
  }

  /** A service with no flags, no persistence, a host netmask: {@code ipvsadm -A KEY -s SCHEDULER}. */
  public static IpvsService of(ServiceKey key, String scheduler) {
    return new IpvsService(key, scheduler, 0, 0, key.family().maxPrefix(), "");
  }

  /** The same service, persistent for {@code seconds} ({@code ipvsadm -p SECONDS}). */
  public IpvsService persistent(int seconds) {
    return new IpvsService(key, scheduler, flags | PERSISTENT, seconds, netmask, persistenceEngine);
  }

  public IpvsService withFlags(int newFlags) {
    return new IpvsService(key, scheduler, newFlags, timeoutSeconds, netmask, persistenceEngine);
  }

  public IpvsService withScheduler(String name) {
    return new IpvsService(key, name, flags, timeoutSeconds, netmask, persistenceEngine);
  }

  private static void checkName(String name, String what, int maxWithNul, boolean mayBeEmpty) {
    Objects.requireNonNull(name, what);
    int len = name.getBytes(StandardCharsets.UTF_8).length;
    if ((len == 0 && !mayBeEmpty) || len >= maxWithNul || name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(what + " \"" + name + "\" must be " + (mayBeEmpty ? 0 : 1) + " to "
          + (maxWithNul - 1) + " bytes");
    }
  }
}
