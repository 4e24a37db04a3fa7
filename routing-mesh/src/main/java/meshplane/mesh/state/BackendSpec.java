package meshplane.mesh.state;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One task of a service, by its address on one network. {@code task} (optional) is the task's
 * name, so the embedded DNS answers it on every node, not only the task's own (docs/dns.md).
 */
public record BackendSpec(String network, String ip, @JsonInclude(JsonInclude.Include.NON_NULL) String task) {

  /** A backend whose task has no name (the shape before names were added). */
  public BackendSpec(String network, String ip) {
    this(network, ip, null);
  }
}
