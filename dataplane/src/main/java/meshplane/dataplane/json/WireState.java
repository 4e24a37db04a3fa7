package meshplane.dataplane.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The JSON document as it is written: every value as text, absent lists as null. */
record WireState(String node, String underlay, List<Network> networks, List<Endpoint> endpoints, List<Peer> peers,
    List<Service> services) {

  record Network(String id, int vni, String subnet, String gateway, boolean ingress, String lbAddress) {}

  record Endpoint(String id, String network, String ip, String mac, String namespace, String iface,
      @JsonInclude(JsonInclude.Include.NON_NULL) String task) {}

  record Peer(String network, String ip, String mac, String vtep) {}

  record Service(String name, String endpointMode, int mark, Map<String, String> vips, List<Port> ports,
      List<Backend> backends) {}

  record Port(String protocol, int published, int target, String mode) {}

  record Backend(String network, String ip, @JsonInclude(JsonInclude.Include.NON_NULL) String task) {}
}
