package meshplane.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import meshplane.dns.NetworkRecords.Kind;
import meshplane.dns.NetworkRecords.SrvTarget;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.NetworkSpec;
import meshplane.dataplane.PortSpec;
import meshplane.dataplane.ServiceSpec;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Every name the embedded DNS answers, per network, made from one desired state
 * (docs/dns.md, "Records"). Immutable: a reconcile builds a new table and the server swaps it in
 * whole, so a query sees either the old state or the new one, never a mix.
 *
 * <p>A question is answered from the networks the asking namespace is on (its scope) and only
 * from them; a name none of them holds is not local and goes upstream. The ingress network has
 * no names (as in Docker): a task reaches services by their VIPs on its own networks.
 */
public final class RecordTable {
  private final Map<String, NetworkRecords> networks;
  private final Map<String, Set<String>> scopes;
  /** Per scope, every name with addresses and those addresses (4 bytes each), for {@link FastAnswers}. */
  private final Map<Set<String>, Map<String, byte[]>> fast = new java.util.concurrent.ConcurrentHashMap<>();

  private RecordTable(Map<String, NetworkRecords> networks, Map<String, Set<String>> scopes) {
    this.networks = networks;
    this.scopes = scopes;
  }

  /** A table with no names and no namespaces. */
  public static RecordTable empty() {
    return new RecordTable(Map.of(), Map.of());
  }

  /** The records of a (validated) desired state. */
  public static RecordTable from(DataplaneState s) {
    Map<String, NetworkRecords.Builder> nets = new TreeMap<>();
    for (NetworkSpec n : s.networks()) {
      if (n.ingress()) {
        continue; // as Docker: the routing mesh's network carries no service discovery
      }
      nets.put(n.id(), new NetworkRecords.Builder(n.id(), n.subnet().network()));
    }
    for (ServiceSpec svc : s.services()) {
      service(svc, nets);
    }
    Map<String, Set<String>> scopes = new TreeMap<>();
    for (EndpointSpec e : s.endpoints()) {
      NetworkRecords.Builder b = nets.get(e.network());
      if (b == null) {
        continue;
      }
      Inet4Address ip = e.ip();
      b.address(Kind.SHORT_ID, e.id(), ip).pointer(Kind.SHORT_ID, ip, e.id());
      e.task().ifPresent(task -> b.address(Kind.TASK_NAME, task, ip).pointer(Kind.TASK_NAME, ip, task));
      scopes.computeIfAbsent(e.namespace(), k -> new TreeSet<>()).add(e.network());
    }
    Map<String, NetworkRecords> built = new HashMap<>();
    nets.forEach((id, b) -> built.put(id, b.build()));
    Map<String, Set<String>> frozen = new TreeMap<>();
    scopes.forEach((ns, ids) -> frozen.put(ns, Collections.unmodifiableSet(ids)));
    return new RecordTable(Map.copyOf(built), Collections.unmodifiableMap(frozen));
  }

  private static void service(ServiceSpec svc, Map<String, NetworkRecords.Builder> nets) {
    Map<String, List<BackendSpec>> byNetwork = new TreeMap<>();
    for (BackendSpec be : svc.backends()) {
      byNetwork.computeIfAbsent(be.network(), k -> new ArrayList<>()).add(be);
    }
    Map<String, Inet4Address> vips = svc.vips();
    Set<String> onNetworks = new TreeSet<>(byNetwork.keySet());
    onNetworks.addAll(vips.keySet());
    boolean vipMode = svc.isVip();
    for (String net : onNetworks) {
      NetworkRecords.Builder b = nets.get(net);
      if (b == null) {
        continue;
      }
      List<BackendSpec> tasks = byNetwork.getOrDefault(net, List.of());
      Inet4Address vip = vipMode ? vips.get(net) : null;
      if (vip != null) {
        b.address(Kind.SERVICE, svc.name(), vip).pointer(Kind.SERVICE, vip, svc.name());
      } else {
        tasks.forEach(t -> b.address(Kind.SERVICE, svc.name(), t.ip()));
      }
      for (BackendSpec t : tasks) {
        b.address(Kind.TASKS, "tasks." + svc.name(), t.ip());
        t.task().ifPresent(task -> b.address(Kind.TASK_NAME, task, t.ip()).pointer(Kind.TASK_NAME, t.ip(), task));
      }
      for (PortSpec p : svc.ports()) {
        for (String target : srvTargets(svc, vip, tasks)) {
          SrvTarget st = new SrvTarget(p.target(), target);
          b.srv("_" + p.protocol() + "." + svc.name(), st);
          b.srv("_" + p.target() + "._" + p.protocol() + "." + svc.name(), st);
        }
      }
    }
  }

  /** The service name behind a VIP; each task's name for dnsrr (tasks.NAME when a task has none). */
  private static Set<String> srvTargets(ServiceSpec svc, Inet4Address vip, List<BackendSpec> tasks) {
    Set<String> out = new LinkedHashSet<>();
    if (vip != null) {
      out.add(svc.name());
      return out;
    }
    for (BackendSpec t : tasks) {
      out.add(t.task().orElse("tasks." + svc.name()));
    }
    return out;
  }

  /** The namespaces that get a listener: every local endpoint's. */
  public Set<String> namespaces() {
    return scopes.keySet();
  }

  /** The networks a namespace's endpoints are on (its scope); empty for a namespace we do not know. */
  public Set<String> scopeOf(String namespace) {
    return scopes.getOrDefault(namespace, Set.of());
  }

  /**
   * Every name with addresses in {@code namespace}'s scope, merged across its networks as
   * {@link #lookup} merges them; made once per scope and table.
   */
  Map<String, byte[]> fastAddresses(String namespace) {
    return fast.computeIfAbsent(scopeOf(namespace), this::mergeAddresses);
  }

  private Map<String, byte[]> mergeAddresses(Set<String> scope) {
    Map<String, LinkedHashSet<Inet4Address>> merged = new HashMap<>();
    for (String id : scope) {
      NetworkRecords n = networks.get(id);
      if (n != null) {
        n.forEachAddress((name, addrs) -> merged.computeIfAbsent(name, k -> new LinkedHashSet<>()).addAll(addrs));
      }
    }
    Map<String, byte[]> out = new HashMap<>();
    merged.forEach((name, addrs) -> {
      if (!addrs.isEmpty()) {
        byte[] b = new byte[addrs.size() * 4];
        int i = 0;
        for (Inet4Address a : addrs) {
          System.arraycopy(a.getAddress(), 0, b, i, 4);
          i += 4;
        }
        out.put(name, b);
      }
    });
    return Map.copyOf(out);
  }

  /** How many names, SRV owners and pointers the table holds, for logs. */
  public int size() {
    return networks.values().stream().mapToInt(NetworkRecords::size).sum();
  }

  /** The answer to ({@code qname}, {@code qtype}, class IN) from the networks in {@code scope}. */
  LocalAnswer lookup(Set<String> scope, Name qname, int qtype, long ttl) {
    String key = qname.toString(true).toLowerCase(Locale.ROOT);
    if (key.endsWith(".in-addr.arpa")) {
      return reverse(scope, qname, key, qtype, ttl);
    }
    boolean exists = false;
    LinkedHashSet<Inet4Address> addrs = new LinkedHashSet<>();
    LinkedHashSet<SrvTarget> srv = new LinkedHashSet<>();
    for (String id : scope) {
      NetworkRecords n = networks.get(id);
      if (n != null && n.has(key)) {
        exists = true;
        addrs.addAll(n.addresses(key));
        srv.addAll(n.srv(key));
      }
    }
    if (!exists) {
      return LocalAnswer.NOT_LOCAL;
    }
    List<Record> answers = new ArrayList<>();
    List<Record> additional = new ArrayList<>();
    if (qtype == Type.A || qtype == Type.ANY) {
      addrs.forEach(a -> answers.add(new ARecord(qname, DClass.IN, ttl, a)));
    }
    if (qtype == Type.SRV || qtype == Type.ANY) {
      for (SrvTarget t : srv) {
        Name target = absolute(t.target());
        answers.add(new SRVRecord(qname, DClass.IN, ttl, 0, 10, t.port(), target));
        for (String id : scope) {
          NetworkRecords n = networks.get(id);
          if (n != null) {
            n.addresses(t.target()).forEach(a -> additional.add(new ARecord(target, DClass.IN, ttl, a)));
          }
        }
      }
    }
    if (answers.isEmpty()) {
      return LocalAnswer.NO_DATA;
    }
    Collections.shuffle(answers, ThreadLocalRandom.current());
    return new LocalAnswer.Found(answers, additional);
  }

  private LocalAnswer reverse(Set<String> scope, Name qname, String key, int qtype, long ttl) {
    Inet4Address a = reverseAddress(key);
    if (a == null) {
      return LocalAnswer.NOT_LOCAL;
    }
    boolean inside = false;
    for (String id : scope) {
      NetworkRecords n = networks.get(id);
      if (n == null || !n.subnet.contains(a)) {
        continue;
      }
      inside = true;
      String target = n.pointer(a);
      if (target != null) {
        if (qtype != Type.PTR && qtype != Type.ANY) {
          return LocalAnswer.NO_DATA;
        }
        return new LocalAnswer.Found(List.of(new PTRRecord(qname, DClass.IN, ttl, absolute(target))), List.of());
      }
    }
    // An address of a network we serve that no task holds: ours to deny, not the world's to know.
    return inside ? LocalAnswer.NX_DOMAIN : LocalAnswer.NOT_LOCAL;
  }

  /** d.c.b.a.in-addr.arpa to a.b.c.d; null for anything else (a shorter zone name, junk). */
  static Inet4Address reverseAddress(String key) {
    String[] p = key.substring(0, key.length() - ".in-addr.arpa".length()).split("\\.", -1);
    if (p.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      if (p[i].isEmpty() || p[i].length() > 3 || !p[i].chars().allMatch(Character::isDigit)) {
        return null;
      }
      int v = Integer.parseInt(p[i]);
      if (v > 255) {
        return null;
      }
      b[3 - i] = (byte) v;
    }
    try {
      return (Inet4Address) InetAddress.getByAddress(b);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static Name absolute(String name) {
    try {
      return Name.fromString(name, Name.root);
    } catch (TextParseException e) {
      throw new IllegalStateException("record name \"" + name + "\" is not a DNS name: " + e.getMessage(), e);
    }
  }
}
