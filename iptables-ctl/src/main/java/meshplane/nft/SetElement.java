package meshplane.nft;

/**
 * An element of a set or map: its key and, for a map, its value ({@code data}) or, for a verdict
 * map, its verdict; optionally a comment (NFTA_SET_ELEM_USERDATA, shown by {@code nft list} as
 * {@code comment "..."}), which is part of the element's value. Elements are identified by key.
 */
public record SetElement(Datum key, Datum data, Verdict verdict, String comment) {
  public SetElement(Datum key, Datum data, Verdict verdict) {
    this(key, data, verdict, null);
  }

  public static SetElement key(Datum key) {
    return new SetElement(key, null, null);
  }

  public static SetElement map(Datum key, Datum data) {
    return new SetElement(key, data, null);
  }

  public static SetElement vmap(Datum key, Verdict verdict) {
    return new SetElement(key, null, verdict);
  }

  /** The same element with comment {@code text} (1-127 bytes, no NUL). */
  public SetElement withComment(String text) {
    return new SetElement(key, data, verdict, text);
  }
}
