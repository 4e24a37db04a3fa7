package meshplane.mesh.lb;

/** One change to the IPVS firewall-mark services of a sandbox, as {@link IpvsDiff} plans it. */
public sealed interface IpvsChange {
  /** {@code ipvsadm -A -f MARK -s rr}. */
  record AddService(int mark) implements IpvsChange {}

  /** {@code ipvsadm -D -f MARK}. */
  record DeleteService(int mark) implements IpvsChange {}

  /** {@code ipvsadm -a -f MARK -r IP -m -w 1}. */
  record AddDestination(int mark, String ip) implements IpvsChange {}

  /** {@code ipvsadm -e -f MARK -r IP -m -w WEIGHT}: 0 drains (no new connections), 1 serves. */
  record SetWeight(int mark, String ip, int weight) implements IpvsChange {}

  /** {@code ipvsadm -d -f MARK -r IP}: only once drained and without active connections. */
  record DeleteDestination(int mark, String ip) implements IpvsChange {}
}
