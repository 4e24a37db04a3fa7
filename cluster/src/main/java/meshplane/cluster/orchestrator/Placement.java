package meshplane.cluster.orchestrator;

import meshplane.cluster.model.Node;

/** Where the scheduler puts a new task: a node, or none and why ({@code no suitable node (...)}). */
public record Placement(Node node, String reason) {
  public boolean placed() {
    return node != null;
  }
}
