package meshplane.dataplane;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * One task of a service, by its address on one network. {@code task} is the task's name, so the
 * embedded DNS answers it on every node, not only the task's own (docs/dns.md).
 */
public record BackendSpec(String network, Inet4Address ip, Optional<String> task) {
  public BackendSpec {
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(task, "task");
  }

  /** A backend whose task name is not known. */
  public BackendSpec(String network, Inet4Address ip) {
    this(network, ip, Optional.empty());
  }
}
