package meshplane.cluster.assignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import meshplane.cluster.model.Attachment;
import meshplane.dataplane.Addresses;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.TaskEndpoints;
import meshplane.netlink.MacAddress;

/**
 * A node's desired data plane, as its agent applies it: the assignment's slice plus an endpoint per attachment of each
 * task wanted running, on the networks the slice lists, in the task's namespace
 * ({@link TaskEndpoints}), interfaces {@code eth0}, {@code eth1}, ... in attachment order.
 */
public final class LocalDataplane {
  private LocalDataplane() {}

  public static DataplaneState of(Assignment a, String nodeNamespace) {
    DataplaneState slice = a.dataplane();
    List<EndpointSpec> endpoints = new ArrayList<>();
    for (AssignedTask t : a.tasks()) {
      if (!t.wanted()) {
        continue;
      }
      for (int i = 0; i < t.attachments().size(); i++) {
        Attachment at = t.attachments().get(i);
        if (slice.network(at.network()).isPresent()) {
          endpoints.add(new EndpointSpec(TaskEndpoints.endpointId(t.id(), i), at.network(), Addresses.ipv4(at.ip()),
              MacAddress.parse(at.mac()), TaskEndpoints.namespace(nodeNamespace, t.id()), TaskEndpoints.iface(i),
              Optional.of(t.name())));
        }
      }
    }
    return slice.withEndpoints(endpoints);
  }
}
