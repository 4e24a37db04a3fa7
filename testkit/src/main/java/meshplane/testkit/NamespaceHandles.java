package meshplane.testkit;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The handles a test opened on its namespaces, each found by its type's own factory and closed
 * after the test, last opened first.
 *
 * <p>testkit knows no meshplane type. A <em>handle type</em> is one that opens itself on a named
 * namespace with a public static {@code open(String name)} (netlink's {@code NetNamespace}), or on
 * another handle type with a public static {@code open(H)} ({@code RtnlHandle.open(NetNamespace)},
 * {@code NfTables.open(NetNamespace)}). One handle of each type is opened per namespace and test.
 */
final class NamespaceHandles {
  private record Key(String namespace, Class<?> type) {}

  private final Map<Key, Object> opened = new LinkedHashMap<>();

  /** Whether {@code type} opens itself on a namespace, directly or through another handle type. */
  static boolean isHandleType(Class<?> type) {
    return factory(type, 0).isPresent();
  }

  /** The handle of {@code type} on {@code ns}, opened on first use. */
  synchronized <T> T handle(Class<T> type, TestNamespace ns) {
    Key key = new Key(ns.name(), type);
    Object known = opened.get(key);
    if (known != null) {
      return type.cast(known);
    }
    Method factory = factory(type, 0).orElseThrow(() -> new IllegalArgumentException(type.getName()
        + " is no handle type: it has no public static open(String) nor open(H) for a handle type H"));
    Class<?> on = factory.getParameterTypes()[0];
    Object argument = on == String.class ? ns.name() : handle(on, ns);
    Object h;
    try {
      h = factory.invoke(null, argument);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException("cannot open " + type.getSimpleName() + " on " + ns + ": " + e.getCause(), e.getCause());
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("cannot call " + factory + " for " + ns, e);
    }
    opened.put(key, h);
    return type.cast(h);
  }

  /** Closes every handle that can be closed, newest first; the first failure is thrown, the others suppressed. */
  synchronized void closeAll() {
    List<Object> handles = new ArrayList<>(opened.values());
    opened.clear();
    RuntimeException first = null;
    for (int i = handles.size() - 1; i >= 0; i--) {
      if (handles.get(i) instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          RuntimeException failure = new IllegalStateException("closing " + c + " after the test: " + e, e);
          if (first == null) {
            first = failure;
          } else {
            first.addSuppressed(failure);
          }
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** open(String) if the type has it, else the one open(H) with H a handle type; depth stops loops. */
  private static Optional<Method> factory(Class<?> type, int depth) {
    if (depth > 3 || type.isPrimitive() || type == String.class) {
      return Optional.empty();
    }
    List<Method> opens = Arrays.stream(type.getMethods())
        .filter(m -> m.getName().equals("open") && Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 1
            && type.isAssignableFrom(m.getReturnType()))
        .toList();
    Optional<Method> byName = opens.stream().filter(m -> m.getParameterTypes()[0] == String.class).findFirst();
    if (byName.isPresent()) {
      return byName;
    }
    List<Method> byHandle = opens.stream().filter(m -> factory(m.getParameterTypes()[0], depth + 1).isPresent()).toList();
    if (byHandle.size() > 1) {
      throw new IllegalArgumentException(type.getName() + " opens itself on several handle types, name one: " + byHandle);
    }
    return byHandle.stream().findFirst();
  }
}
