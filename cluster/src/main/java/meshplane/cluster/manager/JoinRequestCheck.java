package meshplane.cluster.manager;

import java.util.regex.Pattern;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.dataplane.Addresses;

/**
 * What a joining node says of itself, checked before anything is written: every node trusts the
 * node list (its addresses become VTEPs and API targets), so one bad entry would spoil every
 * node's desired state. A refusal names the field and the rule.
 */
final class JoinRequestCheck {
  /** A hostname: 1-63 letters, digits, '-', '_' or '.', starting with a letter or digit. */
  private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
  /** The most a node may offer: 1,024 cores, 64 TiB. */
  static final long MAX_MILLICORES = 1_024_000;
  static final long MAX_MEMORY = 64L << 40;

  private JoinRequestCheck() {}

  static void check(String hostname, String addr, int apiPort, int raftPort, long cpus, long memory) {
    if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
      throw new InvalidRequestException("hostname", "\"" + hostname + "\" must be 1-63 letters, digits, '.', '_' or '-',"
          + " starting with a letter or digit");
    }
    if (addr == null || !ipv4(addr)) {
      throw new InvalidRequestException("addr", "\"" + addr + "\" must be the node's IPv4 advertise address");
    }
    port("apiPort", apiPort);
    port("raftPort", raftPort);
    if (cpus < 0 || cpus > MAX_MILLICORES) {
      throw new InvalidRequestException("cpus", cpus + " must be 0 to " + MAX_MILLICORES + " millicores");
    }
    if (memory < 0 || memory > MAX_MEMORY) {
      throw new InvalidRequestException("memory", memory + " must be 0 to " + MAX_MEMORY + " bytes");
    }
  }

  private static void port(String field, int port) {
    if (port < 1 || port > 65535) {
      throw new InvalidRequestException(field, port + " must be 1-65535");
    }
  }

  /** A unicast IPv4 literal (the project's one parser: {@link Addresses#ipv4}), not 0.x.x.x nor the broadcast address. */
  private static boolean ipv4(String s) {
    try {
      Addresses.ipv4(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return !s.startsWith("0.") && !s.equals("255.255.255.255");
  }
}
