/**
 * IPVS over generic netlink ({@code <linux/ip_vs.h>}, family "IPVS", version 1): virtual services
 * by address or firewall mark, their destinations, counters and the connection timeouts. Values
 * ({@link meshplane.ipvs.IpvsService}, {@link meshplane.ipvs.IpvsDestination}, ...) apart from the
 * codec ({@link meshplane.ipvs.IpvsRequests}, {@link meshplane.ipvs.IpvsReplies}) apart from the
 * client ({@link meshplane.ipvs.Ipvs}), which is bound to one namespace. See docs/ipvs.md.
 */
package meshplane.ipvs;
