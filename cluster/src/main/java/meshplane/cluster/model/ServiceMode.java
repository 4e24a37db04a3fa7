package meshplane.cluster.model;

/** {@code --mode replicated} (N tasks spread over nodes) or {@code global} (one per eligible node). */
public enum ServiceMode {
  REPLICATED, GLOBAL;

  public String lower() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
