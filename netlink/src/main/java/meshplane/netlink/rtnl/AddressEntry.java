package meshplane.netlink.rtnl;

import meshplane.netlink.IpPrefix;

/**
 * An interface address as the kernel reports it ({@code ip addr show}): the link's index and
 * name (null when not resolved), the address with its prefix length, its scope (RT_SCOPE_*),
 * its label (IPv4 only; empty for IPv6) and its IFA_F_* flags.
 */
public record AddressEntry(int linkIndex, String linkName, IpPrefix prefix, int scope, String label, int flags) {

  public boolean isIpv4() {
    return prefix.isIpv4();
  }

  /** IPv6 duplicate address detection has not finished yet (IFA_F_TENTATIVE). */
  public boolean isTentative() {
    return (flags & Rtnl.IFA_F_TENTATIVE) != 0;
  }

  AddressEntry withLinkName(String name) {
    return new AddressEntry(linkIndex, name, prefix, scope, label, flags);
  }

  @Override
  public String toString() {
    return prefix + " dev " + LinkNames.describe(linkName, linkIndex) + " scope " + scope
        + (label.isEmpty() ? "" : " label " + label);
  }
}
