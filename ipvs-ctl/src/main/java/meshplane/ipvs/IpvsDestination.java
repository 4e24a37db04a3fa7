package meshplane.ipvs;

import java.net.InetAddress;
import java.util.Objects;
import meshplane.netlink.IpPrefix;

/**
 * A real server behind a virtual service, as {@code ipvsadm -a -r ADDR:PORT -m -w WEIGHT -x U -y L}
 * sets it. Its address family may differ from the service's only with {@link ForwardingMethod#TUNNEL}
 * (the kernel refuses other mixes with EINVAL).
 *
 * @param weight         IPVS_DEST_ATTR_WEIGHT; 0 takes the destination out of rotation (drain)
 * @param upperThreshold IPVS_DEST_ATTR_U_THRESH, connections above which it is not picked; 0 = none
 * @param lowerThreshold IPVS_DEST_ATTR_L_THRESH, at or below which it is picked again
 */
public record IpvsDestination(InetAddress address, int port, ForwardingMethod method, int weight,
    int upperThreshold, int lowerThreshold) {

  public IpvsDestination {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(method, "method");
    ServiceKey.checkPort(port, "destination port");
    if (weight < 0) {
      throw new IllegalArgumentException("weight " + weight + " of destination " + ServiceKey.hostPort(address, port)
          + " is negative");
    }
    if (upperThreshold < 0 || lowerThreshold < 0 || lowerThreshold > upperThreshold) {
      throw new IllegalArgumentException("thresholds of destination " + ServiceKey.hostPort(address, port)
          + ": lower " + lowerThreshold + " and upper " + upperThreshold
          + " must be 0 or more with lower <= upper (the kernel says ERANGE otherwise)");
    }
  }

  /** A NAT destination with no thresholds: {@code ipvsadm -a ... -r ADDR:PORT -m -w WEIGHT}. */
  public static IpvsDestination masquerade(String address, int port, int weight) {
    return new IpvsDestination(IpPrefix.literal(address, address), port, ForwardingMethod.MASQUERADE, weight, 0, 0);
  }

  public AddressFamily family() {
    return AddressFamily.of(address);
  }

  public IpvsDestination withWeight(int newWeight) {
    return new IpvsDestination(address, port, method, newWeight, upperThreshold, lowerThreshold);
  }

  /** "10.0.1.5:8080 masquerade weight 1". */
  @Override
  public String toString() {
    return ServiceKey.hostPort(address, port) + " " + method.name().toLowerCase(java.util.Locale.ROOT)
        + " weight " + weight;
  }
}
