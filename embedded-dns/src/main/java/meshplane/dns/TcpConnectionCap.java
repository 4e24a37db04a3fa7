package meshplane.dns;

import java.util.concurrent.Semaphore;

/**
 * Client TCP connections one namespace's listener may hold, inside the total every listener
 * shares. A connection takes a place in both or in neither; it gives them back when it closes.
 */
final class TcpConnectionCap {
  private final Semaphore namespace;
  private final Semaphore total;

  TcpConnectionCap(int perNamespace, Semaphore total) {
    this.namespace = new Semaphore(perNamespace);
    this.total = total;
  }

  /** A place for one more connection, or false when the namespace's or the total bound is reached. */
  boolean tryTake() {
    if (!namespace.tryAcquire()) {
      return false;
    }
    if (!total.tryAcquire()) {
      namespace.release();
      return false;
    }
    return true;
  }

  /** Gives back a place {@link #tryTake} gave. */
  void giveBack() {
    total.release();
    namespace.release();
  }
}
