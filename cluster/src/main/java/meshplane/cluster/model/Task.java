package meshplane.cluster.model;

import java.util.List;

/**
 * One scheduled instance of a service. {@code slot} numbers replicas from 1 (0 for global tasks,
 * which are per node); {@code desired} is what the orchestrator wants ({@code RUNNING} or
 * {@code SHUTDOWN}), {@code state} what the agent last reported. The task's name is
 * {@code <service>.<slot>.<id>} ({@code <service>.<node id>.<id>} for global services), its
 * short id the first 10 characters of {@code id}, which is also its data-plane endpoint id.
 */
public record Task(String id, String serviceId, String serviceName, long serviceVersion, int slot,
    String nodeId, TaskState desired, TaskState state, String message, Integer exitCode,
    List<Attachment> attachments, int attempt, long createdAt, long updatedAt) {
  public Task {
    attachments = attachments == null ? List.of() : List.copyOf(attachments);
  }

  /** Whether it holds its node's resources: desired RUNNING and not ended (not a getter: not in the JSON). */
  public boolean live() {
    return desired == TaskState.RUNNING && !state.isTerminal();
  }

  public String name() {
    return serviceName + "." + (slot > 0 ? String.valueOf(slot) : nodeId) + "." + id;
  }

  public String shortId() {
    return meshplane.dataplane.TaskEndpoints.shortId(id);
  }

  public Task withDesired(TaskState d, long now) {
    return new Task(id, serviceId, serviceName, serviceVersion, slot, nodeId, d, state, message, exitCode, attachments, attempt, createdAt, now);
  }

  public Task withStatus(TaskState s, String msg, Integer exit, long now) {
    return new Task(id, serviceId, serviceName, serviceVersion, slot, nodeId, desired, s, msg, exit, attachments, attempt, createdAt, now);
  }
}
