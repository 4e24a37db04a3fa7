package meshplane.pki;

import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * A node's current credentials and the TLS context built from them, swapped whole when the
 * certificate is renewed or re-issued for a new role: listeners and clients ask for the context
 * per connection, so a new certificate is used from the next handshake on and no connection is
 * dropped.
 */
public final class LiveCredentials {
  private record Current(NodeCredentials credentials, SSLContext context, SSLContext managersOnly) {}

  private volatile Current current;

  public LiveCredentials(NodeCredentials initial) {
    replace(initial);
  }

  public NodeCredentials credentials() {
    return current.credentials();
  }

  /** The TLS 1.3 context of the current credentials (built once per credentials). */
  public SSLContext sslContext() {
    return current.context();
  }

  /** The managers-only context of the current credentials (the Raft port's: {@link NodeCredentials#managerOnlySslContext}). */
  public SSLContext managerOnlySslContext() {
    return current.managersOnly();
  }

  public NodeIdentity identity() {
    return current.credentials().identity();
  }

  /** From the next handshake on, {@code next} is presented. */
  public void replace(NodeCredentials next) {
    Objects.requireNonNull(next, "credentials");
    current = new Current(next, next.sslContext(),
        next.identity().role() == CertRole.MANAGER ? next.managerOnlySslContext() : null);
  }
}
