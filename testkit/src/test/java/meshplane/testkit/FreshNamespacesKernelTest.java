package meshplane.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The fixture against the kernel: named namespaces seen by {@code ip netns}, gone after the test. */
@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class FreshNamespacesKernelTest {

  static boolean listed(String name) {
    return Command.run("ip", "netns", "list").orThrow().lines().anyMatch(l -> l.split(" ")[0].equals(name));
  }

  @Test
  void aTestsNamespacesAreNamedOnesWithThePrefix(TestNamespace primary, FreshNamespaces.Namespaces spaces) {
    assertTrue(primary.name().startsWith("mpt-" + ProcessHandle.current().pid() + "-"), primary.name());
    assertTrue(listed(primary.name()), "ip netns list shows " + primary.name());
    TestNamespace other = spaces.create();
    assertTrue(Files.exists(other.path()));
    assertEquals(List.of(primary, other), spaces.made());
    // a fresh namespace has only lo, and it is down
    assertEquals("lo", IpJson.ip(other.name(), "link", "show").get(0).path("ifname").asText());
    assertEquals(1, IpJson.ip(other.name(), "link", "show").size());
  }

  /** Run by {@link #aFailingTestsNamespacesAreDeletedAllTheSame} only: it fails on purpose. */
  @Tag("launched-by-FreshNamespacesKernelTest")
  @ExtendWith(FreshNamespaces.class)
  static class FailsOnPurpose {
    static final List<String> NAMES = new ArrayList<>();

    @Test
    void fails(TestNamespace ns, FreshNamespaces.Namespaces spaces) {
      NAMES.add(ns.name());
      NAMES.add(spaces.create().name());
      NAMES.forEach(n -> assertTrue(listed(n), n));
      throw new AssertionError("failing on purpose, with two namespaces made");
    }
  }

  @Test
  void aFailingTestsNamespacesAreDeletedAllTheSame() {
    FailsOnPurpose.NAMES.clear();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    Launcher launcher = LauncherFactory.create();
    launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(FailsOnPurpose.class)).build(), listener);
    TestExecutionSummary summary = listener.getSummary();
    assertEquals(1, summary.getTotalFailureCount(), "the launched test failed");
    assertEquals("failing on purpose, with two namespaces made", summary.getFailures().get(0).getException().getMessage());
    assertEquals(2, FailsOnPurpose.NAMES.size(), FailsOnPurpose.NAMES.toString());
    for (String name : FailsOnPurpose.NAMES) {
      assertFalse(listed(name), name + " was deleted after the failed test");
      assertFalse(Files.exists(TestNamespace.RUN_NETNS.resolve(name)));
    }
  }
}
