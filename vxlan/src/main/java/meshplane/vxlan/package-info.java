/**
 * The overlay driver: per-network sandbox with bridge and VXLAN device (kernel VTEP) or TAP and
 * userspace VTEP, endpoints and peers. Not built yet: it arrives with the VXLAN overlay issue.
 */
package meshplane.vxlan;
