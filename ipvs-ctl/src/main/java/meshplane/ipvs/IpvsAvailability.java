package meshplane.ipvs;

/**
 * Whether a namespace's kernel has IPVS, and why: either the family the genl controller reported,
 * or the refusal (no "IPVS" family, no permission) in words a person can act on.
 */
public record IpvsAvailability(boolean available, String reason) {}
