package meshplane.node.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import meshplane.cluster.assignment.Assignment;
import meshplane.cluster.model.NodeRole;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The role watcher between the agent's sync and a promotion: the agent's sync thread hands it
 * each assignment it synced; a role change that blocks (a promotion waiting for the Raft group)
 * holds up no sync, and the assignments that came meanwhile reach it as the latest one only.
 */
@Tag("unit")
class RoleWatcherTest {
  private static Assignment assignment(long version, NodeRole role) {
    return new Assignment(version, "cluster", "node", role, List.of("198.18.0.1:2377"), List.of(), null, null);
  }

  @Test
  void aPromotionThatBlocksDelaysNoSyncAndGetsTheLatestAssignmentAfter() throws Exception {
    CountDownLatch promotionMayEnd = new CountDownLatch(1);
    CountDownLatch promotionStarted = new CountDownLatch(1);
    List<Long> seen = new CopyOnWriteArrayList<>();
    CountDownLatch latestSeen = new CountDownLatch(1);
    try (RoleWatcher roles = new RoleWatcher(a -> {
      seen.add(a.version());
      if (a.version() == 1) {
        promotionStarted.countDown();
        awaitQuietly(promotionMayEnd); // a promotion joining a Raft group that does not answer yet
      } else if (a.version() == 20) {
        latestSeen.countDown();
      }
    })) {
      long first = System.nanoTime();
      roles.offer(assignment(1, NodeRole.MANAGER));
      first = System.nanoTime() - first;
      assertTrue(promotionStarted.await(5, TimeUnit.SECONDS), "the promotion runs");
      assertTrue(first < TimeUnit.MILLISECONDS.toNanos(50), "the promoting sync waited " + first / 1_000 + " us");

      // the agent's sync thread: 19 more syncs, each handing its assignment on, while the promotion blocks
      long slowest = 0;
      long start = System.nanoTime();
      for (long v = 2; v <= 20; v++) {
        long t = System.nanoTime();
        roles.offer(assignment(v, NodeRole.MANAGER));
        slowest = Math.max(slowest, System.nanoTime() - t);
      }
      long all = System.nanoTime() - start;
      assertEquals(1, promotionMayEnd.getCount(), "the promotion still blocks");
      assertTrue(slowest < TimeUnit.MILLISECONDS.toNanos(50), "a sync waited " + slowest / 1_000 + " us for the role watcher");
      assertTrue(all < TimeUnit.MILLISECONDS.toNanos(200), "19 syncs took " + all / 1_000 + " us");

      promotionMayEnd.countDown();
      assertTrue(latestSeen.await(5, TimeUnit.SECONDS), "the latest assignment reaches the role change");
      assertEquals(List.of(1L, 20L), seen, "those that came while it blocked collapse into the latest");
    }
  }

  @Test
  void aRoleChangeThatFailsDoesNotStopTheNextOne() throws Exception {
    CountDownLatch second = new CountDownLatch(1);
    try (RoleWatcher roles = new RoleWatcher(a -> {
      if (a.version() == 1) {
        throw new IllegalStateException("cannot join the managers yet");
      }
      second.countDown();
    })) {
      roles.offer(assignment(1, NodeRole.MANAGER));
      Thread.sleep(100);
      roles.offer(assignment(2, NodeRole.MANAGER));
      assertTrue(second.await(5, TimeUnit.SECONDS), "the next assignment is handled");
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
