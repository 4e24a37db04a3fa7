/**
 * One host's Swarm networking reconciled from desired state: ingress, ingress_sbox, lb_
 * sandboxes, VIPs, published ports, load-balancer backends. Not built yet: it arrives with the
 * load-balancing issue.
 */
package meshplane.mesh;
