package meshplane.dns;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import meshplane.netlink.IpPrefix;

/**
 * The names one network holds, as the tasks on it see them: owner names are lowercase and
 * without the final dot ({@code web}, {@code tasks.web}, {@code web.1.x7k2}, {@code t1},
 * {@code _tcp.web}). Built once per desired state, read by any number of threads.
 *
 * <p>When two kinds of name collide (a service called like a task), the stronger kind keeps the
 * name: service, then {@code tasks.}, then task name, then short id.
 */
final class NetworkRecords {
  /** Which kind of name owns a key; a lower rank wins a collision. */
  enum Kind { SERVICE, TASKS, TASK_NAME, SHORT_ID }

  /** One SRV target: a port and the name that answers it. */
  record SrvTarget(int port, String target) {}

  private record Owned(Kind kind, Set<Inet4Address> addresses) {}

  final String network;
  final IpPrefix subnet;
  private final Map<String, List<Inet4Address>> addresses;
  private final Map<String, List<SrvTarget>> services;
  private final Map<Inet4Address, String> pointers;

  private NetworkRecords(String network, IpPrefix subnet, Map<String, List<Inet4Address>> addresses,
      Map<String, List<SrvTarget>> services, Map<Inet4Address, String> pointers) {
    this.network = network;
    this.subnet = subnet;
    this.addresses = addresses;
    this.services = services;
    this.pointers = pointers;
  }

  /** Addresses of {@code name} (lowercase, no final dot); empty when it has none. */
  List<Inet4Address> addresses(String name) {
    return addresses.getOrDefault(name, List.of());
  }

  void forEachAddress(java.util.function.BiConsumer<String, List<Inet4Address>> f) {
    addresses.forEach(f);
  }

  List<SrvTarget> srv(String name) {
    return services.getOrDefault(name, List.of());
  }

  /** Whether {@code name} exists here with any type. */
  boolean has(String name) {
    return addresses.containsKey(name) || services.containsKey(name);
  }

  /** The name an address points back to, or null. */
  String pointer(Inet4Address a) {
    return pointers.get(a);
  }

  int size() {
    return addresses.size() + services.size() + pointers.size();
  }

  /** Collects one network's names; {@link #build} freezes them. */
  static final class Builder {
    private final String network;
    private final IpPrefix subnet;
    private final Map<String, Owned> names = new HashMap<>();
    private final Map<String, LinkedHashSet<SrvTarget>> srv = new HashMap<>();
    private final Map<Inet4Address, String> ptr = new HashMap<>();
    private final Map<Inet4Address, Kind> ptrKind = new HashMap<>();

    Builder(String network, IpPrefix subnet) {
      this.network = network;
      this.subnet = subnet;
    }

    Builder address(Kind kind, String name, Inet4Address a) {
      String key = name.toLowerCase(java.util.Locale.ROOT);
      Owned o = names.get(key);
      if (o == null || kind.ordinal() < o.kind().ordinal()) {
        o = new Owned(kind, new LinkedHashSet<>());
        names.put(key, o);
      }
      if (o.kind() == kind) {
        o.addresses().add(a);
      }
      return this;
    }

    /** Marks {@code name} as existing even with no address (a dnsrr service with no task yet). */
    Builder srv(String name, SrvTarget t) {
      srv.computeIfAbsent(name.toLowerCase(java.util.Locale.ROOT), k -> new LinkedHashSet<>()).add(t);
      return this;
    }

    /** The PTR of {@code a}: the strongest kind of name given for it wins. */
    Builder pointer(Kind kind, Inet4Address a, String name) {
      Kind before = ptrKind.get(a);
      if (before == null || kind.ordinal() < before.ordinal()) {
        ptr.put(a, name);
        ptrKind.put(a, kind);
      }
      return this;
    }

    NetworkRecords build() {
      Map<String, List<Inet4Address>> a = new HashMap<>();
      names.forEach((k, o) -> a.put(k, List.copyOf(o.addresses())));
      Map<String, List<SrvTarget>> s = new HashMap<>();
      srv.forEach((k, v) -> s.put(k, List.copyOf(new ArrayList<>(v))));
      return new NetworkRecords(network, subnet, Map.copyOf(a), Map.copyOf(s), Map.copyOf(ptr));
    }
  }
}
