package meshplane.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 fixture for kernel-tier tests: each test gets fresh named namespaces ({@code ip netns
 * add mpt-PID-N}), all deleted after the test ({@code ip netns delete}), whether it passed or
 * not. Without root the test fails (it does not skip): the kernel tier must not pass silently.
 *
 * <p>A test method may ask for
 * <ul>
 *   <li>{@link Namespaces}, to make more namespaces and open handles on them;
 *   <li>{@link TestNamespace}, its primary namespace (made on first use);
 *   <li>any handle type (see {@link NamespaceHandles}) such as netlink's {@code NetNamespace} or
 *       {@code RtnlHandle}: opened on the primary namespace, closed after the test and before the
 *       namespace is deleted.
 * </ul>
 */
public final class FreshNamespaces implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
  /** Prefix of every namespace a kernel-tier test creates. */
  public static final String PREFIX = "mpt-";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(FreshNamespaces.class);

  /** The namespaces of one test; {@link #create()} makes another one, cleaned up with the rest. */
  public static final class Namespaces {
    private final List<TestNamespace> made = new ArrayList<>();
    private final NamespaceHandles handles = new NamespaceHandles();

    /** A new empty namespace, {@code ip netns add mpt-PID-N}. */
    public synchronized TestNamespace create() {
      TestNamespace ns = new TestNamespace(PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
      Command.Result r = Command.run("ip", "netns", "add", ns.name());
      if (!r.ok()) {
        throw new IllegalStateException("cannot create " + ns + ": ip netns add exited " + r.exitCode() + ": " + r.output().strip());
      }
      made.add(ns);
      return ns;
    }

    /** A new namespace as a handle of {@code type}, e.g. {@code create(NetNamespace.class)}. */
    public synchronized <T> T create(Class<T> type) {
      return handles.handle(type, create());
    }

    /** A handle of {@code type} on the namespace {@code name} of this test, closed after the test. */
    public synchronized <T> T open(Class<T> type, String name) {
      TestNamespace ns = made.stream().filter(n -> n.name().equals(name)).findFirst().orElseThrow(
          () -> new IllegalArgumentException(name + " is not a namespace of this test (it has " + made + ")"));
      return handles.handle(type, ns);
    }

    /** The namespaces made so far, oldest first. */
    public synchronized List<TestNamespace> made() {
      return List.copyOf(made);
    }

    synchronized TestNamespace primary() {
      return made.isEmpty() ? create() : made.get(0);
    }

    synchronized <T> T primaryHandle(Class<T> type) {
      return handles.handle(type, primary());
    }

    /** Closes every handle, then deletes every namespace; the first failure is thrown after all were tried. */
    synchronized void deleteAll() {
      RuntimeException first = null;
      try {
        handles.closeAll();
      } catch (RuntimeException e) {
        first = e;
      }
      for (TestNamespace ns : made) {
        try {
          delete(ns);
        } catch (RuntimeException e) {
          if (first == null) {
            first = e;
          } else {
            first.addSuppressed(e);
          }
        }
      }
      made.clear();
      if (first != null) {
        throw first;
      }
    }

    private static void delete(TestNamespace ns) {
      if (!Files.exists(ns.path())) {
        return; // the test deleted it itself
      }
      Command.Result r = Command.run("ip", "netns", "delete", ns.name());
      if (!r.ok()) {
        throw new IllegalStateException("cannot delete " + ns + " after the test: ip netns delete exited "
            + r.exitCode() + ": " + r.output().strip());
      }
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (!isRoot()) {
      throw new IllegalStateException("kernel-tier test " + context.getDisplayName()
          + " needs root (it creates network namespaces): run scripts/test.sh as root");
    }
    context.getStore(STORE).put("ns", new Namespaces());
  }

  private static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[2].equals("0"));
    } catch (IOException e) {
      return "root".equals(System.getProperty("user.name"));
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
    return t == Namespaces.class || t == TestNamespace.class || NamespaceHandles.isHandleType(t);
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    Namespaces ns = e.getStore(STORE).get("ns", Namespaces.class);
    if (ns == null) {
      throw new IllegalStateException(p.getDeclaringExecutable() + ": FreshNamespaces gives namespaces to test and"
          + " @BeforeEach methods only");
    }
    Class<?> t = p.getParameter().getType();
    if (t == Namespaces.class) {
      return ns;
    }
    if (t == TestNamespace.class) {
      return ns.primary();
    }
    return ns.primaryHandle(t);
  }
}
