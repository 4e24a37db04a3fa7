package meshplane.nft;

/**
 * An element of a set or map: its key and, for a map, its value ({@code data}) or, for a verdict
 * map, its verdict. Elements are identified by key.
 */
public record SetElement(Datum key, Datum data, Verdict verdict) {
  public static SetElement key(Datum key) {
    return new SetElement(key, null, null);
  }

  public static SetElement map(Datum key, Datum data) {
    return new SetElement(key, data, null);
  }

  public static SetElement vmap(Datum key, Verdict verdict) {
    return new SetElement(key, null, verdict);
  }
}
