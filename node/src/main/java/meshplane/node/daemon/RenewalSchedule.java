package meshplane.node.daemon;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import meshplane.cluster.model.NodeRole;
import meshplane.pki.CertRole;
import meshplane.pki.LiveCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Renews the node's certificate before it expires, as SwarmKit's node does: at a random point
 * between 50% and 80% of its life (so a swarm's nodes do not all come at once), then again for
 * the new one; a renewal that fails is tried again a minute later (sooner near the end). One
 * daemon thread; it waits while the node is in no swarm.
 */
final class RenewalSchedule implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RenewalSchedule.class);
  static final double FIRST = 0.5;
  static final double LAST = 0.8;
  private static final Duration RETRY = Duration.ofMinutes(1);

  /** What the schedule needs of the node: its credentials (null outside a swarm), its managers, where a renewal goes. */
  interface Node {
    LiveCredentials credentials();

    List<String> managers();

    /** Takes the renewed credentials (saves them, presents them from the next handshake). */
    void renewed(meshplane.pki.NodeCredentials next);
  }

  private final Node node;
  private final Object lock;
  private final Thread thread;
  private volatile boolean running = true;

  /** Renews the certificate of the node {@code membership} holds, under its lock. */
  RenewalSchedule(NodeMembership membership) {
    this(new Node() {
      @Override
      public LiveCredentials credentials() {
        return membership.credentials();
      }

      @Override
      public List<String> managers() {
        return membership.managers();
      }

      @Override
      public void renewed(meshplane.pki.NodeCredentials next) {
        membership.renewed(next);
      }
    }, membership);
  }

  RenewalSchedule(Node node, Object lock) {
    this.node = node;
    this.lock = lock;
    this.thread = new Thread(this::loop, "cert-renewal");
    thread.setDaemon(true);
    thread.start();
  }

  /** When a certificate valid from {@code notBefore} to {@code notAfter} is renewed: at 50-80% of its life. */
  static Instant renewAt(Instant notBefore, Instant notAfter, double fraction) {
    long life = Duration.between(notBefore, notAfter).toMillis();
    return notBefore.plusMillis((long) (life * fraction));
  }

  private void loop() {
    X509Certificate planned = null;
    Instant at = null;
    while (running) {
      try {
        LiveCredentials c = node.credentials();
        if (c == null) {
          planned = null;
          Thread.sleep(1_000);
          continue;
        }
        X509Certificate cert = c.credentials().certificate();
        if (cert != planned) { // a new certificate (joined, renewed, a new role): a new random point
          planned = cert;
          at = renewAt(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(),
              ThreadLocalRandom.current().nextDouble(FIRST, LAST));
          LOG.info("certificate valid until {}: renewal at {}", cert.getNotAfter().toInstant(), at);
        }
        long wait = Duration.between(Instant.now(), at).toMillis();
        if (wait > 0) {
          Thread.sleep(Math.min(wait, 1_000));
          continue;
        }
        try {
          renew(c);
        } catch (RuntimeException e) {
          Duration left = Duration.between(Instant.now(), cert.getNotAfter().toInstant());
          Duration retry = left.compareTo(RETRY.multipliedBy(10)) < 0 ? Duration.ofSeconds(5) : RETRY;
          LOG.warn("certificate renewal failed ({} left), again in {} s: {}", left, retry.toSeconds(), e.getMessage());
          at = Instant.now().plus(retry);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void renew(LiveCredentials c) {
    synchronized (lock) {
      List<String> managers = node.managers();
      if (node.credentials() != c) {
        return;
      }
      if (managers.isEmpty()) {
        throw new IllegalStateException("no manager known");
      }
      NodeRole role = c.identity().role() == CertRole.MANAGER ? NodeRole.MANAGER : NodeRole.WORKER;
      node.renewed(CertificateRenewal.renew(c, managers, role));
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
