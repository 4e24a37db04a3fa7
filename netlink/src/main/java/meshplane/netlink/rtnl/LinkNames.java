package meshplane.netlink.rtnl;

import java.util.HashMap;
import java.util.Map;

/**
 * Interface index to name, read with one link dump, for decoders whose messages carry only the
 * index. A snapshot: a link renamed or deleted afterwards keeps its old name here, and an index
 * not in the snapshot has no name (null).
 */
final class LinkNames {
  private final Map<Integer, String> names;

  private LinkNames(Map<Integer, String> names) {
    this.names = names;
  }

  static LinkNames of(RtnlHandle handle) {
    Map<Integer, String> names = new HashMap<>();
    for (Link l : handle.links().list()) {
      names.put(l.index(), l.name());
    }
    return new LinkNames(names);
  }

  /** The name of link {@code index}, or null when it is not known. */
  String name(int index) {
    return names.get(index);
  }

  /** "mp-va" when the name is known, else "ifindex 7". */
  static String describe(String name, int index) {
    return name != null ? name : "ifindex " + index;
  }
}
