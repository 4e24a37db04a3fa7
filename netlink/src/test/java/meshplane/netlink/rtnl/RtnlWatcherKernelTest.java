package meshplane.netlink.rtnl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import meshplane.netlink.IpPrefix;
import meshplane.netlink.MacAddress;
import meshplane.netlink.NetNamespace;
import meshplane.testkit.Command;
import meshplane.testkit.FreshNamespaces;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The watcher sees what happens in its namespace, whoever does it: links made through meshplane,
 * addresses and neighbours added by iproute2 as the outside actor.
 */
@Tag("kernel")
@ExtendWith(FreshNamespaces.class)
class RtnlWatcherKernelTest {
  private static final long WAIT_SECONDS = 5;

  /**
   * The events a watcher delivered. {@link #await} looks through what earlier awaits passed over
   * before taking more, so the order in which the kernel announces related changes (a veth's peer
   * before the veth) does not matter.
   */
  private static final class Events {
    private final BlockingQueue<RtnlEvent> queue = new LinkedBlockingQueue<>();
    private final List<RtnlEvent> passed = new ArrayList<>();
    private int total;

    void add(RtnlEvent e) {
      queue.add(e);
    }

    <T extends RtnlEvent> T await(Class<T> kind, Predicate<T> match, String what) throws InterruptedException {
      for (RtnlEvent e : passed) {
        if (kind.isInstance(e) && match.test(kind.cast(e))) {
          passed.remove(e);
          return kind.cast(e);
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
      while (true) {
        RtnlEvent e = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (e == null) {
          return fail("no " + what + " within " + WAIT_SECONDS + " s; " + total + " other events, the last: "
              + passed.subList(Math.max(0, passed.size() - 5), passed.size()));
        }
        total++;
        if (kind.isInstance(e) && match.test(kind.cast(e))) {
          return kind.cast(e);
        }
        if (passed.size() == 1000) {
          passed.remove(0);
        }
        passed.add(e);
      }
    }

    void forget() {
      passed.clear();
      queue.clear();
    }

    RtnlEvent poll(long millis) throws InterruptedException {
      return queue.poll(millis, TimeUnit.MILLISECONDS);
    }
  }

  private static void ip(NetNamespace ns, String... args) {
    List<String> argv = new ArrayList<>(List.of("ip", "-n", ns.name()));
    argv.addAll(List.of(args));
    Command.run(argv.toArray(String[]::new)).orThrow();
  }

  @Test
  void linkAddressAndNeighbourChangesArrive(RtnlHandle h) throws Exception {
    Events q = new Events();
    try (RtnlWatcher w = RtnlWatcher.start(h.namespace(), q::add)) {
      assertTrue(w.isRunning());
      assertEquals(h.namespace().name(), w.namespace());

      h.links().add(new LinkSpec.Veth("mp-w0", "mp-w0p"));
      RtnlEvent.LinkEvent added = q.await(RtnlEvent.LinkEvent.class,
          e -> e.change() == RtnlEvent.Change.NEW && e.link().name().equals("mp-w0"), "RTM_NEWLINK for mp-w0");
      assertEquals("veth", added.link().kind());
      int index = added.link().index();
      q.await(RtnlEvent.LinkEvent.class,
          e -> e.change() == RtnlEvent.Change.NEW && e.link().name().equals("mp-w0p"), "RTM_NEWLINK for the peer");
      h.links().setUp("mp-w0");
      q.await(RtnlEvent.LinkEvent.class, e -> e.link().name().equals("mp-w0") && e.link().isUp(),
          "RTM_NEWLINK saying mp-w0 is up");

      ip(h.namespace(), "addr", "add", "198.18.7.1/24", "dev", "mp-w0");
      RtnlEvent.AddressEvent address = q.await(RtnlEvent.AddressEvent.class,
          e -> e.change() == RtnlEvent.Change.NEW && e.linkIndex() == index, "RTM_NEWADDR on mp-w0");
      assertEquals(IpPrefix.parse("198.18.7.1/24"), address.address());
      assertEquals("mp-w0", address.label());

      ip(h.namespace(), "neigh", "add", "198.18.7.2", "lladdr", "02:42:c6:12:07:02", "dev", "mp-w0");
      RtnlEvent.NeighbourEvent neighbour = q.await(RtnlEvent.NeighbourEvent.class,
          e -> e.change() == RtnlEvent.Change.NEW && e.linkIndex() == index && e.destination() != null,
          "RTM_NEWNEIGH on mp-w0");
      assertEquals(InetAddress.getByName("198.18.7.2"), neighbour.destination());
      assertEquals(MacAddress.parse("02:42:c6:12:07:02"), neighbour.mac());
      assertTrue(neighbour.isPermanent());

      ip(h.namespace(), "addr", "del", "198.18.7.1/24", "dev", "mp-w0");
      q.await(RtnlEvent.AddressEvent.class,
          e -> e.change() == RtnlEvent.Change.DEL && e.address().equals(IpPrefix.parse("198.18.7.1/24")),
          "RTM_DELADDR for 198.18.7.1/24");

      h.links().delete("mp-w0");
      q.await(RtnlEvent.LinkEvent.class,
          e -> e.change() == RtnlEvent.Change.DEL && e.link().index() == index, "RTM_DELLINK for mp-w0");
      assertTrue(w.failure().isEmpty(), () -> "watcher failed: " + w.failure());
    }
  }

  @Test
  void closeStopsTheThreadAndNothingMoreIsDelivered(RtnlHandle h) throws Exception {
    Events q = new Events();
    RtnlWatcher w = RtnlWatcher.start(h.namespace(), q::add);
    h.links().add(new LinkSpec.Bridge("mp-wb"));
    q.await(RtnlEvent.LinkEvent.class, e -> e.link().name().equals("mp-wb"), "RTM_NEWLINK for mp-wb");
    long start = System.nanoTime();
    w.close();
    assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "close returns within a receive timeout");
    assertFalse(w.isRunning());
    q.forget();
    h.links().delete("mp-wb");
    assertEquals(null, q.poll(500), "a closed watcher delivers nothing");
    w.close(); // a second close is harmless
  }

  @Test
  void onlyItsOwnNamespaceIsWatched(RtnlHandle h, FreshNamespaces.Namespaces spaces) throws Exception {
    NetNamespace other = spaces.create(NetNamespace.class);
    Events q = new Events();
    try (RtnlWatcher w = RtnlWatcher.start(h.namespace(), q::add)) {
      ip(other, "link", "add", "mp-elsewhere", "type", "bridge");
      h.links().add(new LinkSpec.Bridge("mp-here"));
      RtnlEvent.LinkEvent first = q.await(RtnlEvent.LinkEvent.class, e -> true, "a link event");
      assertEquals("mp-here", first.link().name(), "the bridge made in the other namespace is not reported");
    }
  }

  /**
   * A consumer that stalls lets the socket's queue overflow; the kernel then drops notifications
   * and the next receive fails with ENOBUFS, which arrives as ResyncNeeded, after which every
   * change is delivered again. The queue holds several MB, so iproute2 changes a link's MTU
   * twenty thousand times while the consumer is stalled.
   */
  @Test
  void lostNotificationsAreReportedAsResyncNeeded(RtnlHandle h) throws Exception {
    h.links().add(new LinkSpec.Veth("mp-wf", "mp-wfp"));
    CountDownLatch release = new CountDownLatch(1);
    Events q = new Events();
    try (RtnlWatcher w = RtnlWatcher.start(h.namespace(), e -> {
      try {
        release.await();
      } catch (InterruptedException x) {
        Thread.currentThread().interrupt();
      }
      q.add(e);
    })) {
      try {
        flood(h.namespace(), 20000);
      } finally {
        release.countDown(); // before close(), which waits for the consumer
      }
      RtnlEvent.ResyncNeeded resync = q.await(RtnlEvent.ResyncNeeded.class, e -> true, "ResyncNeeded");
      assertEquals(h.namespace().name(), resync.namespace());
      ip(h.namespace(), "link", "set", "mp-wf", "mtu", "1400");
      q.await(RtnlEvent.LinkEvent.class, e -> e.link().name().equals("mp-wf") && e.link().mtu() == 1400,
          "the change made after the resync");
      assertTrue(w.isRunning(), () -> "still running after ENOBUFS; failure: " + w.failure());
    }
  }

  /** {@code ip -n NS -batch FILE} with {@code changes} MTU changes of mp-wf. */
  private static void flood(NetNamespace ns, int changes) throws IOException {
    StringBuilder batch = new StringBuilder();
    for (int i = 0; i < changes; i++) {
      batch.append("link set mp-wf mtu ").append(1280 + (i % 2)).append('\n');
    }
    Path file = Files.createTempFile("mp-flood", ".batch");
    try {
      Files.writeString(file, batch);
      Command.run(120, "ip", "-n", ns.name(), "-batch", file.toString()).orThrow();
    } finally {
      Files.delete(file);
    }
  }
}
