package meshplane.mesh.state;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A local task's endpoint on a network: the task's namespace gets {@code iface} with ip and mac.
 * {@code task} (optional) is the task's name, as the embedded DNS answers it
 * (docs/dns.md); the endpoint's {@code id} is the task's short id.
 */
public record EndpointSpec(String id, String network, String ip, String mac, String namespace, String iface,
    @JsonInclude(JsonInclude.Include.NON_NULL) String task) {

  /** An endpoint whose task has no name (the shape before names were added). */
  public EndpointSpec(String id, String network, String ip, String mac, String namespace, String iface) {
    this(id, network, ip, mac, namespace, iface, null);
  }
}
