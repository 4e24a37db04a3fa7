/**
 * Mark, DNAT and SNAT rules and the IPVS-less load balancer as nf_tables objects sent over
 * netlink in atomic batches. Not built yet: it arrives with the load-balancing issue.
 */
package meshplane.nft;
