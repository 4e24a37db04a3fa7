package meshplane.mesh.state;

/** One task of a service, by its address on one network. */
public record BackendSpec(String network, String ip) {}
