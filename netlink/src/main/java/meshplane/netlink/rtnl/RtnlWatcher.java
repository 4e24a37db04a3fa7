package meshplane.netlink.rtnl;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import meshplane.netlink.KernelException;
import meshplane.netlink.Message;
import meshplane.netlink.NetNamespace;
import meshplane.netlink.NetlinkProtocol;
import meshplane.netlink.NetlinkSocket;

/**
 * Listens to link, IPv4 address and neighbour changes in one namespace and hands each one, as an
 * {@link RtnlEvent}, to a consumer. Equivalent to {@code ip -n NS monitor link address neigh}.
 *
 * <p>The socket joins RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_NEIGH. One platform daemon
 * thread receives with a short timeout, so that {@link #close()} is noticed promptly, decodes
 * and calls the consumer; the consumer therefore runs on that thread, one event at a time, and a
 * slow consumer makes the kernel drop notifications, which arrive as {@link
 * RtnlEvent.ResyncNeeded}, delivered once the stale backlog has been discarded so that a dump
 * taken then is followed by every later change. An exception from the consumer, or a receive error other than ENOBUFS,
 * stops the watcher; {@link #failure()} then holds it. The thread alone closes the socket, after
 * its last receive, so a descriptor is never closed under a blocked recv.
 */
public final class RtnlWatcher implements AutoCloseable {
  /** The groups joined, as bind() bits. */
  public static final int GROUPS = Rtnl.RTMGRP_LINK | Rtnl.RTMGRP_IPV4_IFADDR | Rtnl.RTMGRP_NEIGH;
  private static final Duration POLL = Duration.ofMillis(100);
  /** errno of a receive after the kernel dropped notifications for want of queue space. */
  private static final int ENOBUFS = 105;
  /** A receive that waits this long for nothing means the socket's queue is empty. */
  private static final Duration DRAIN_POLL = Duration.ofMillis(10);

  private final String namespace;
  private final NetlinkSocket socket;
  private final Consumer<RtnlEvent> consumer;
  private final Thread thread;
  private volatile boolean closing;
  private volatile RuntimeException failure;

  private RtnlWatcher(NetNamespace ns, Consumer<RtnlEvent> consumer) {
    this.namespace = ns.name();
    this.consumer = consumer;
    this.socket = NetlinkSocket.subscribe(NetlinkProtocol.ROUTE, ns, GROUPS);
    this.thread = new Thread(this::loop, "rtnl-watcher " + namespace);
    thread.setDaemon(true);
  }

  /**
   * Subscribes in {@code ns} and starts delivering. Changes made after this returns are seen;
   * the watcher does not replay what already exists (dump the tables for that).
   */
  public static RtnlWatcher start(NetNamespace ns, Consumer<RtnlEvent> consumer) {
    RtnlWatcher w = new RtnlWatcher(ns, consumer);
    w.thread.start();
    return w;
  }

  private void loop() {
    try {
      while (!closing) {
        Optional<List<Message>> batch;
        try {
          batch = socket.receive(POLL);
        } catch (KernelException e) {
          if (e.errno() != ENOBUFS) {
            throw e;
          }
          discardBacklog();
          if (!closing) {
            consumer.accept(new RtnlEvent.ResyncNeeded(namespace));
          }
          continue;
        }
        if (batch.isEmpty()) {
          continue;
        }
        for (Message m : batch.get()) {
          if (closing) {
            return;
          }
          Optional<RtnlEvent> event = RtnlEvent.decode(m);
          if (event.isPresent()) {
            consumer.accept(event.get());
          }
        }
      }
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      socket.close();
    }
  }

  /**
   * After an overflow the kernel marks the socket congested and drops, without a further ENOBUFS,
   * every notification until the receive queue is empty again. The queued messages predate the
   * resync the consumer is about to do, so they are read and discarded until a receive finds the
   * queue empty; only then is ResyncNeeded delivered, and every change after the consumer's dump
   * reaches it.
   */
  private void discardBacklog() {
    while (!closing) {
      try {
        if (socket.receive(DRAIN_POLL).isEmpty()) {
          return;
        }
      } catch (KernelException e) {
        if (e.errno() != ENOBUFS) {
          throw e;
        }
      }
    }
  }

  /** The namespace watched. */
  public String namespace() {
    return namespace;
  }

  /** Whether events are still being delivered. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  /** What stopped the watcher on its own (a consumer's exception, a receive error), if anything. */
  public Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Stops delivering and waits for the thread to finish (at most one receive timeout plus the
   * consumer's current call). Called from the consumer itself, it only asks the thread to stop.
   */
  @Override
  public void close() {
    closing = true;
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
