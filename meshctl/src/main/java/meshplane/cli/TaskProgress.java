package meshplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * How far a service is from what it asks for, from its JSON and its tasks' JSON (pure): docker's
 * progress block ({@code overall progress: 2 out of 3 tasks}, one line per slot), and whether it
 * converged (every slot's newest task of the service's current version RUNNING) or failed (a
 * slot's newest task FAILED or REJECTED). Global services count one slot per node that has a
 * task of the current version with desired state RUNNING.
 */
record TaskProgress(List<String> lines, Status status, String error, int running, int desired) {
  enum Status { CONVERGING, CONVERGED, FAILED }

  private static final List<String> STAGES = List.of("new", "pending", "assigned", "starting", "running");
  private static final int BAR = 50;

  static TaskProgress of(JsonNode service, List<JsonNode> tasks) {
    long version = service.path("version").asLong();
    JsonNode spec = service.path("spec");
    boolean global = spec.path("mode").asText().equalsIgnoreCase("global");
    List<JsonNode> current = tasks.stream().filter(t -> t.path("serviceVersion").asLong() == version).toList();

    Map<String, Optional<JsonNode>> slots = new TreeMap<>(slotOrder(global));
    if (global) {
      for (JsonNode t : current) {
        if (t.path("desired").asText().equalsIgnoreCase("running")) {
          slots.put(Json.text(t, "nodeId"), newest(current, x -> Json.text(x, "nodeId").equals(Json.text(t, "nodeId"))));
        }
      }
    } else {
      int replicas = spec.path("replicas").asInt();
      for (int s = 1; s <= replicas; s++) {
        int slot = s;
        slots.put(String.valueOf(s), newest(current, x -> x.path("slot").asInt() == slot));
      }
    }

    int n = slots.size();
    int running = 0;
    String error = null;
    List<String> lines = new ArrayList<>();
    lines.add("overall progress: %d out of %d tasks");
    for (Map.Entry<String, Optional<JsonNode>> e : slots.entrySet()) {
      String label = global ? Json.shortId(e.getKey(), 12) : e.getKey() + "/" + n;
      String state = e.getValue().map(t -> Json.lower(t, "state")).orElse("new");
      String message = e.getValue().map(t -> Json.text(t, "message")).orElse("");
      if (state.equals("running")) {
        running++;
      }
      if ((state.equals("failed") || state.equals("rejected")) && error == null) {
        error = label + ": task " + state + (message.isEmpty() ? "" : ": " + message);
      }
      lines.add(String.format("%s: %-9s %s%s", label, state, bar(state),
          !message.isEmpty() && !state.equals("running") ? " " + message : ""));
    }
    lines.set(0, String.format(lines.get(0), running, n));
    Status status = error != null ? Status.FAILED
        : running == n && (n > 0 || !global) ? Status.CONVERGED : Status.CONVERGING;
    return new TaskProgress(List.copyOf(lines), status, error, running, n);
  }

  private static Comparator<String> slotOrder(boolean global) {
    return global ? Comparator.naturalOrder() : Comparator.comparingInt(Integer::parseInt);
  }

  private static Optional<JsonNode> newest(List<JsonNode> tasks, java.util.function.Predicate<JsonNode> p) {
    return tasks.stream().filter(p).max(Comparator.comparingLong((JsonNode t) -> t.path("createdAt").asLong())
        .thenComparing(t -> Json.text(t, "id")));
  }

  /** {@code [=========================>                        ]}: how far through the start-up stages. */
  private static String bar(String state) {
    int stage = STAGES.indexOf(state);
    if (stage < 0) {
      return "";
    }
    int filled = BAR * stage / (STAGES.size() - 1);
    return "[" + "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? ">" : "") + " ".repeat(BAR - filled) + "]";
  }
}
