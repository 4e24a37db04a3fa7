package meshplane.netlink.genl;

import java.util.Map;
import java.util.Optional;

/**
 * A generic netlink family as the controller reports it ({@code genl ctrl get name NAME}): the
 * message type its requests carry ({@code id}), its interface version, the size of its own fixed
 * header after genlmsghdr, its highest attribute number, and its multicast groups by name.
 */
public record GenlFamily(String name, int id, int version, int hdrsize, int maxattr,
    Map<String, Integer> multicastGroups) {

  public GenlFamily {
    multicastGroups = Map.copyOf(multicastGroups);
  }

  /** The id of the multicast group called {@code group}, to join with NetlinkSocket.joinGroup. */
  public Optional<Integer> multicastGroup(String group) {
    return Optional.ofNullable(multicastGroups.get(group));
  }
}
