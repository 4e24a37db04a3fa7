package meshplane.mesh.state;

/** A local task's endpoint on a network: the task's namespace gets {@code iface} with ip and mac. */
public record EndpointSpec(String id, String network, String ip, String mac, String namespace, String iface) {}
