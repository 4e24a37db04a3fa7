package meshplane.netlink.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.rtnl.RtnlHandle;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 fixture for kernel-tier tests: each test gets a fresh named namespace ({@code mpt-...})
 * as a {@link NetNamespace} or {@link RtnlHandle} parameter, and a {@link Namespaces} parameter
 * to make more. All of them are deleted after the test, whether it passed or not. Without root
 * the test fails (it does not skip): the kernel tier must not pass silently.
 */
public final class FreshNamespaces implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  /** Prefix of every namespace a kernel-tier test creates. */
  public static final String PREFIX = "mpt-";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(FreshNamespaces.class);

  /** The namespaces of one test; {@link #create()} makes another one, cleaned up with the rest. */
  public static final class Namespaces {
    private final List<NetNamespace> made = new ArrayList<>();
    private final List<RtnlHandle> handles = new ArrayList<>();

    public synchronized NetNamespace create() {
      String name = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
      NetNamespace ns = NetNamespace.create(name);
      made.add(ns);
      return ns;
    }

    /** An rtnetlink handle on {@code ns}, closed after the test. */
    public synchronized RtnlHandle handle(NetNamespace ns) {
      RtnlHandle h = RtnlHandle.open(ns);
      handles.add(h);
      return h;
    }

    synchronized NetNamespace primary() {
      return made.isEmpty() ? create() : made.get(0);
    }

    synchronized void deleteAll() {
      handles.forEach(RtnlHandle::close);
      RuntimeException first = null;
      for (NetNamespace ns : made) {
        ns.close();
        try {
          NetNamespace.delete(ns.name());
        } catch (RuntimeException e) {
          first = first == null ? e : first;
        }
      }
      made.clear();
      if (first != null) {
        throw first;
      }
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!"root".equals(System.getProperty("user.name")) && !isRootUid()) {
      throw new IllegalStateException("kernel-tier test " + context.getDisplayName()
          + " needs root (it creates network namespaces): run scripts/test.sh as root");
    }
    context.getStore(STORE).put("ns", new Namespaces());
  }

  private static boolean isRootUid() {
    try {
      return java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[2].equals("0"));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    Namespaces ns = context.getStore(STORE).remove("ns", Namespaces.class);
    if (ns != null) {
      ns.deleteAll();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    Class<?> t = p.getParameter().getType();
    return t == NetNamespace.class || t == RtnlHandle.class || t == Namespaces.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Namespaces ns = e.getStore(STORE).get("ns", Namespaces.class);
    Class<?> t = p.getParameter().getType();
    if (t == Namespaces.class) {
      return ns;
    }
    NetNamespace primary = ns.primary();
    return t == NetNamespace.class ? primary : ns.handle(primary);
  }
}
