package meshplane.cluster.api;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A pool that grows a thread only when no idle one can take the task, up to {@code threads},
 * and then queues up to {@code queue} tasks; one more is refused ({@link
 * java.util.concurrent.RejectedExecutionException}). Idle threads end after 10 s. (A plain
 * {@link ThreadPoolExecutor} either queues before it grows, or, below its core size, makes a
 * new thread per task though others are idle: a trickle of requests kept 64 threads alive.)
 */
final class WorkerPool {
  private WorkerPool() {}

  static ThreadPoolExecutor create(String name, int threads, int queue) {
    GrowFirst q = new GrowFirst(Math.max(1, queue), queue == 0);
    ThreadPoolExecutor p = new ThreadPoolExecutor(0, threads, 10, TimeUnit.SECONDS, q, r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
    q.pool = p;
    return p;
  }

  /** Offers a task to an idle thread; else says no, so the pool grows; at its size, queues it (or, with no queue, says no). */
  private static final class GrowFirst extends LinkedBlockingQueue<Runnable> {
    private final boolean noQueue;
    private volatile ThreadPoolExecutor pool;

    GrowFirst(int capacity, boolean noQueue) {
      super(capacity);
      this.noQueue = noQueue;
    }

    @Override
    public boolean offer(Runnable task) {
      ThreadPoolExecutor p = pool;
      int size = p.getPoolSize();
      if (p.getActiveCount() + size() < size) {
        return super.offer(task); // an idle thread takes it
      }
      if (size < p.getMaximumPoolSize() || noQueue) {
        return false; // a new thread, or refused when the pool is full and nothing may wait
      }
      return super.offer(task);
    }
  }
}
