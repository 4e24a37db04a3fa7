/**
 * IPVS over generic netlink: services by address or firewall mark, destinations, stats. Not built
 * yet: it arrives with the load-balancing issue.
 */
package meshplane.ipvs;
