package meshplane.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How handle types are recognised and opened, with two small handle types shaped as netlink's
 * NetNamespace (open(String)) and RtnlHandle (open(NetNamespace)); nothing touches the kernel.
 */
@Tag("unit")
class NamespaceHandlesTest {
  static final List<String> EVENTS = new ArrayList<>();

  /** Shaped as NetNamespace: opens itself by the namespace's name. */
  public static final class ByName implements AutoCloseable {
    final String name;

    private ByName(String name) {
      this.name = name;
    }

    public static ByName open(String name) {
      EVENTS.add("open " + name);
      return new ByName(name);
    }

    @Override
    public void close() {
      EVENTS.add("close " + name);
    }
  }

  /** Shaped as RtnlHandle: opens itself on another handle type. */
  public static final class OnHandle implements AutoCloseable {
    final ByName on;

    private OnHandle(ByName on) {
      this.on = on;
    }

    public static OnHandle open(ByName on) {
      EVENTS.add("open handle on " + on.name);
      return new OnHandle(on);
    }

    @Override
    public void close() {
      EVENTS.add("close handle on " + on.name);
    }
  }

  /** Has an open, but on a type nothing opens: not a handle type. */
  public static final class OnSomethingElse {
    public static OnSomethingElse open(Integer port) {
      return new OnSomethingElse();
    }
  }

  @Test
  void handleTypesAreThoseThatOpenOnANameOrOnAHandleType() {
    assertTrue(NamespaceHandles.isHandleType(ByName.class));
    assertTrue(NamespaceHandles.isHandleType(OnHandle.class));
    assertFalse(NamespaceHandles.isHandleType(OnSomethingElse.class));
    assertFalse(NamespaceHandles.isHandleType(String.class));
    assertFalse(NamespaceHandles.isHandleType(int.class));
    assertFalse(NamespaceHandles.isHandleType(TestNamespace.class));
  }

  @Test
  void oneHandleOfATypePerNamespaceOpenedOnTheSameUnderlyingHandleAndClosedNewestFirst() {
    EVENTS.clear();
    NamespaceHandles handles = new NamespaceHandles();
    TestNamespace a = new TestNamespace("mpt-1-1");
    TestNamespace b = new TestNamespace("mpt-1-2");
    OnHandle onA = handles.handle(OnHandle.class, a);
    assertSame(onA, handles.handle(OnHandle.class, a));
    assertSame(onA.on, handles.handle(ByName.class, a), "the handle is opened on the namespace's own ByName");
    handles.handle(ByName.class, b);
    assertEquals(List.of("open mpt-1-1", "open handle on mpt-1-1", "open mpt-1-2"), EVENTS);
    handles.closeAll();
    assertEquals(List.of("open mpt-1-1", "open handle on mpt-1-1", "open mpt-1-2",
        "close mpt-1-2", "close handle on mpt-1-1", "close mpt-1-1"), EVENTS);
  }

  @Test
  void aTypeThatIsNoHandleTypeIsRefusedNamingIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NamespaceHandles().handle(OnSomethingElse.class, new TestNamespace("mpt-1-3")));
    assertTrue(e.getMessage().contains("OnSomethingElse is no handle type"), e.getMessage());
    IllegalArgumentException name = assertThrows(IllegalArgumentException.class, () -> new TestNamespace("mp-node1"));
    assertTrue(name.getMessage().contains("starts with mpt-"), name.getMessage());
  }
}
