package meshplane.bench;

/**
 * One goal of the issue and how this run fared: {@code figure} is what was measured (or why it
 * was not), {@code met} is null when it was not measured.
 */
record Goal(String name, String target, String figure, Boolean met) {
  static Goal measured(String name, String target, String figure, boolean met) {
    return new Goal(name, target, figure, met);
  }

  static Goal notMeasured(String name, String target, String reason) {
    return new Goal(name, target, "not measured: " + reason, null);
  }

  /** {@code create p99 4.1 ms (goal <= 20 ms: met)}. */
  String text() {
    String verdict = met == null ? "not measured" : met ? "met" : "NOT met";
    return name + " " + figure + " (goal " + target + ": " + verdict + ")";
  }
}
