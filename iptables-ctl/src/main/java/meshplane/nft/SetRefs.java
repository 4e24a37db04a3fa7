package meshplane.nft;

/**
 * What encoding a {@code lookup} needs to know about the set it names: whether it is a verdict
 * map (its lookup writes the verdict register 0, which must still be sent as NFTA_LOOKUP_DREG;
 * a lookup that only tests membership must not send one) and, when the set is created in the
 * same batch, its NFTA_SET_ID.
 */
interface SetRefs {
  boolean isVerdictMap(String set);

  /** The set's id in the batch being built, or 0 when the set already exists. */
  int batchId(String set);
}
