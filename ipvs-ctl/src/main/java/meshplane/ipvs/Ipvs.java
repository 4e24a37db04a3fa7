package meshplane.ipvs;

import static meshplane.ipvs.IpvsNl.*;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import meshplane.netlink.Errno;
import meshplane.netlink.KernelException;
import meshplane.netlink.Message;
import meshplane.netlink.MessageBuilder;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.NetlinkException;
import meshplane.netlink.NetlinkProtocol;
import meshplane.netlink.NetlinkSocket;
import meshplane.netlink.genl.GenericNetlink;
import meshplane.netlink.genl.GenlFamily;

/**
 * The IPVS of one network namespace, over a generic netlink socket opened inside it: what
 * {@code ipvsadm} does, without ipvsadm. Each method names its ipvsadm equivalent. Failures are
 * {@link NetlinkException}s naming the operation, the service ("tcp 10.0.0.2:80", "fwmark 0x100")
 * and destination, the namespace, errno and what IPVS means by it. One request at a time.
 */
public final class Ipvs implements AutoCloseable {
  private final NetlinkSocket socket;
  private final GenlFamily family;
  private final IpvsRequests requests;
  private final String where;

  private Ipvs(NetlinkSocket socket, GenlFamily family) {
    this.socket = socket;
    this.family = family;
    this.requests = new IpvsRequests(family.id());
    this.where = " in netns " + socket.namespace();
  }

  /** Whether {@code ns} has IPVS, with the reason; never throws for a kernel without it. */
  public static IpvsAvailability availability(NetNamespace ns) {
    return probe(() -> NetlinkSocket.open(NetlinkProtocol.GENERIC, ns), ns.name());
  }

  /** As {@link #availability(NetNamespace)}, in the calling thread's namespace. */
  public static IpvsAvailability availability() {
    return probe(() -> NetlinkSocket.open(NetlinkProtocol.GENERIC), "(current)");
  }

  public static boolean isAvailable(NetNamespace ns) {
    return availability(ns).available();
  }

  public static boolean isAvailable() {
    return availability().available();
  }

  private static IpvsAvailability probe(Supplier<NetlinkSocket> opener, String nsName) {
    try (NetlinkSocket s = opener.get()) {
      GenlFamily f = GenericNetlink.resolveFamily(s, IPVS_GENL_NAME);
      return new IpvsAvailability(true, "generic netlink family \"IPVS\" has id " + f.id() + ", version "
          + f.version() + " in netns " + nsName);
    } catch (KernelException e) {
      return new IpvsAvailability(false, e.errno() == Errno.ENOENT ? unavailable(nsName) : e.getMessage());
    }
  }

  private static final String WHY_ABSENT = "the kernel has no generic netlink family \"IPVS\":"
      + " module ip_vs not loaded, or CONFIG_IP_VS not built";

  private static String unavailable(String nsName) {
    return "no IPVS in netns " + nsName + ": " + WHY_ABSENT;
  }

  /**
   * Opens IPVS in {@code ns}. A kernel without IPVS is a {@link KernelException} (ENOENT) that
   * says so and names IPVS and the namespace.
   */
  public static Ipvs open(NetNamespace ns) {
    NetlinkSocket s = NetlinkSocket.open(NetlinkProtocol.GENERIC, ns);
    try {
      return new Ipvs(s, GenericNetlink.resolveFamily(s, IPVS_GENL_NAME));
    } catch (KernelException e) {
      s.close();
      if (e.errno() == Errno.ENOENT) {
        throw new KernelException("open", "IPVS in netns " + ns.name() + " (" + WHY_ABSENT + ")", Errno.ENOENT,
            e.kernelMessage());
      }
      throw e;
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** The id the genl controller gave "IPVS" in this namespace. */
  public int familyId() {
    return family.id();
  }

  /** Equivalent to {@code ipvsadm -A KEY -s SCHED [-p TIMEOUT] [-M NETMASK]}. */
  public void addService(IpvsService s) {
    run(requests.newService(s), IPVS_CMD_NEW_SERVICE, "add service", s.key().toString(), s.scheduler());
  }

  /** Equivalent to {@code ipvsadm -E KEY -s SCHED ...}: changes scheduler, flags, persistence. */
  public void editService(IpvsService s) {
    run(requests.setService(s), IPVS_CMD_SET_SERVICE, "edit service", s.key().toString(), s.scheduler());
  }

  /** Equivalent to {@code ipvsadm -D KEY}; its destinations go with it. */
  public void deleteService(ServiceKey key) {
    run(requests.delService(key), IPVS_CMD_DEL_SERVICE, "delete service", key.toString(), "");
  }

  /** Equivalent to {@code ipvsadm -Ln --stats KEY}, without the destinations; empty if there is none. */
  public Optional<ServiceWithStats> service(ServiceKey key) {
    try {
      for (Message m : run(requests.getService(key), IPVS_CMD_GET_SERVICE, "get service", key.toString(), "")) {
        return Optional.of(IpvsReplies.service(m));
      }
      throw new IllegalStateException("IPVS acknowledged get service " + key + where + " but sent no service");
    } catch (KernelException e) {
      if (e.errno() == Errno.ESRCH) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /** Equivalent to {@code ipvsadm -Ln --stats}, services only. */
  public List<ServiceWithStats> services() {
    List<ServiceWithStats> out = new ArrayList<>();
    for (Message m : dump(requests.dumpServices(), IPVS_CMD_GET_SERVICE, "list services", "")) {
      out.add(IpvsReplies.service(m));
    }
    return out;
  }

  /** Equivalent to {@code ipvsadm -a KEY -r ADDR:PORT -m|-g|-i -w W -x U -y L}. */
  public void addDestination(ServiceKey key, IpvsDestination d) {
    run(requests.newDestination(key, d), IPVS_CMD_NEW_DEST, "add destination", dest(key, d.address(), d.port()), "");
  }

  /** Equivalent to {@code ipvsadm -e KEY -r ADDR:PORT ...}: a new weight drains or restores it. */
  public void editDestination(ServiceKey key, IpvsDestination d) {
    run(requests.setDestination(key, d), IPVS_CMD_SET_DEST, "edit destination", dest(key, d.address(), d.port()), "");
  }

  /** Equivalent to {@code ipvsadm -d KEY -r ADDR:PORT}. */
  public void deleteDestination(ServiceKey key, InetAddress address, int port) {
    run(requests.delDestination(key, address, port), IPVS_CMD_DEL_DEST, "delete destination",
        dest(key, address, port), "");
  }

  /**
   * Equivalent to {@code ipvsadm -Ln --stats KEY}'s destination lines. The kernel answers a dump
   * for a service it does not have with nothing; an empty answer is therefore checked with a GET,
   * so a missing service is ESRCH here rather than an empty list.
   */
  public List<DestinationWithStats> destinations(ServiceKey key) {
    List<DestinationWithStats> out = new ArrayList<>();
    for (Message m : dump(requests.dumpDestinations(key), IPVS_CMD_GET_DEST, "list destinations of", key.toString())) {
      out.add(IpvsReplies.destination(m, key.family()));
    }
    if (out.isEmpty() && service(key).isEmpty()) {
      throw new KernelException("list destinations of", key + where + " (no such service)", Errno.ESRCH);
    }
    return out;
  }

  /** Equivalent to {@code ipvsadm -C}: every service and destination of the namespace. */
  public void flush() {
    run(requests.flush(), IPVS_CMD_FLUSH, "flush", "every service", "");
  }

  /** Equivalent to {@code ipvsadm -L --timeout}. */
  public IpvsTimeouts timeouts() {
    for (Message m : run(requests.getConfig(), IPVS_CMD_GET_CONFIG, "get", "timeouts", "")) {
      return IpvsReplies.timeouts(m);
    }
    throw new IllegalStateException("IPVS acknowledged get timeouts" + where + " but sent none");
  }

  /** Equivalent to {@code ipvsadm --set TCP TCPFIN UDP}; a 0 leaves that timeout as it is. */
  public void setTimeouts(IpvsTimeouts t) {
    run(requests.setConfig(t), IPVS_CMD_SET_CONFIG, "set", "timeouts " + t.tcp() + " " + t.tcpFin() + " " + t.udp(), "");
  }

  private static String dest(ServiceKey key, InetAddress address, int port) {
    return ServiceKey.hostPort(address, port) + " of " + key;
  }

  private List<Message> run(MessageBuilder m, int cmd, String operation, String object, String extra) {
    try {
      return socket.request(m, operation, object + where);
    } catch (NetlinkException e) {
      throw IpvsErrors.explain(e, cmd, extra);
    }
  }

  private List<Message> dump(MessageBuilder m, int cmd, String operation, String object) {
    String what = object.isEmpty() ? where.substring(1) : object + where;
    try {
      return socket.dump(m, operation, what);
    } catch (NetlinkException e) {
      throw IpvsErrors.explain(e, cmd, "");
    }
  }

  @Override
  public void close() {
    socket.close();
  }
}
