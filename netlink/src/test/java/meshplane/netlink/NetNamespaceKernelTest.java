package meshplane.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import meshplane.netlink.rtnl.LinkSpec;
import meshplane.netlink.rtnl.RtnlHandle;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class NetNamespaceKernelTest {

  @Test
  void createdNamespaceIsSeenByIpNetnsAndNsenterThenDeleted(FreshNamespaces.Namespaces spaces) {
    String name = "mpt-" + ProcessHandle.current().pid() + "-own";
    try (NetNamespace ns = NetNamespace.create(name)) {
      assertTrue(Command.run("ip", "netns", "list").orThrow().lines().anyMatch(l -> l.split(" ")[0].equals(name)));
      assertTrue(NetNamespace.exists(name));
      assertTrue(NetNamespace.list().contains(name));
      // nsenter enters the very same namespace: its inode is what we hold open.
      String inode = Command.run("nsenter", "--net=" + ns.path(), "readlink", "/proc/self/ns/net").orThrow().trim();
      assertEquals("net:[" + ns.identity().split(":")[1] + "]", inode);
      KernelException twice = assertThrows(KernelException.class, () -> NetNamespace.create(name));
      assertEquals("EEXIST", twice.errnoName());
    } finally {
      NetNamespace.delete(name);
    }
    assertFalse(NetNamespace.exists(name));
    assertFalse(Command.run("ip", "netns", "list").orThrow().contains(name));
    assertFalse(Files.exists(Path.of("/run/netns", name)));
  }

  /**
   * A process killed inside {@code create}, after the file under /run/netns and before the mount,
   * leaves a bare empty file: it is no namespace ({@code exists} is false, as entering it fails),
   * {@code create} replaces it instead of failing with EEXIST, and {@code delete} removes it.
   */
  @Test
  void aBareFileLeftByACreateKilledHalfwayIsNoNamespaceAndIsReplaced() throws Exception {
    String name = "mpt-" + ProcessHandle.current().pid() + "-half";
    Path file = Path.of("/run/netns", name);
    try {
      Files.createFile(file); // what the killed create left
      assertTrue(Command.run("ip", "netns", "list").orThrow().lines().anyMatch(l -> l.split(" ")[0].equals(name)),
          "ip netns list names it");
      assertFalse(NetNamespace.exists(name), "but it is no namespace");
      assertNotEquals(0, Command.run("ip", "netns", "exec", name, "true").exitCode(), "ip netns exec cannot enter it");
      try (NetNamespace ns = NetNamespace.create(name); RtnlHandle h = RtnlHandle.open(ns)) {
        assertTrue(NetNamespace.exists(name));
        assertEquals("lo", h.links().list().get(0).name());
        assertEquals(0, Command.run("ip", "netns", "exec", name, "true").exitCode(), "a namespace now");
      }
      NetNamespace.delete(name);
      Files.createFile(file);
      NetNamespace.delete(name);
      assertFalse(Files.exists(file), "delete removes a bare file too");
    } finally {
      NetNamespace.delete(name);
    }
  }

  @Test
  void codeRunsInsideTheNamespaceAndTheCallerStaysOutside(NetNamespace ns) throws Exception {
    String outside = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    String inside = ns.call(() -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());
    assertNotEquals(outside, inside);
    assertEquals("net:[" + ns.identity().split(":")[1] + "]", inside);
    assertEquals(outside, Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString(),
        "the calling thread never moved");
  }

  @Test
  void openByNamePathAndPidReachTheSameNamespace(NetNamespace ns) throws Exception {
    try (NetNamespace byName = NetNamespace.open(ns.name());
         NetNamespace byPath = NetNamespace.openPath(ns.path())) {
      assertEquals(ns.identity(), byName.identity());
      assertEquals(ns.identity(), byPath.identity());
    }
    Process sleeper = ns.call(() -> new ProcessBuilder("sleep", "30").start());
    try (NetNamespace byPid = NetNamespace.ofPid(sleeper.pid())) {
      assertEquals(ns.identity(), byPid.identity());
    } finally {
      sleeper.destroyForcibly().waitFor();
    }
  }

  @Test
  void aProcesssNamespaceAttachedByNameOutlivesTheProcess(NetNamespace ns) throws Exception {
    String name = "mpt-" + ProcessHandle.current().pid() + "-attached";
    Process sleeper = ns.call(() -> new ProcessBuilder("sleep", "30").start());
    try (NetNamespace byPid = NetNamespace.ofPid(sleeper.pid())) {
      NetNamespace.attach(name, byPid);
      sleeper.destroyForcibly().waitFor();
      // ip netns identify finds the name by the namespace's inode, as ip netns attach leaves it
      String inode = Command.run("ip", "netns", "exec", name, "readlink", "/proc/self/ns/net").orThrow().trim();
      assertEquals("net:[" + ns.identity().split(":")[1] + "]", inode, "the same namespace, after its process ended");
      KernelException twice = assertThrows(KernelException.class, () -> NetNamespace.attach(name, byPid));
      assertEquals("EEXIST", twice.errnoName());
    } finally {
      sleeper.destroyForcibly().waitFor();
      NetNamespace.delete(name);
    }
    assertFalse(Files.exists(Path.of("/run/netns", name)));
  }

  @Test
  void socketOpenedInsideProgramsThatNamespaceOnly(NetNamespace ns) {
    try (RtnlHandle h = RtnlHandle.open(ns)) {
      h.links().add(new LinkSpec.Bridge("mp-here"));
    }
    assertTrue(Command.run("ip", "-n", ns.name(), "link", "show", "mp-here").ok());
    assertFalse(Command.run("ip", "link", "show", "mp-here").ok(), "the root namespace has no mp-here");
  }

  @Test
  void openingAMissingNamespaceNamesIt() {
    KernelException e = assertThrows(KernelException.class, () -> NetNamespace.open("mpt-does-not-exist"));
    assertEquals("ENOENT", e.errnoName());
    assertTrue(e.getMessage().contains("mpt-does-not-exist"), e.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> NetNamespace.open("../etc"));
    assertTrue(bad.getMessage().contains("netns name"), bad.getMessage());
  }
}
