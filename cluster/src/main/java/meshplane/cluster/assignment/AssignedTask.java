package meshplane.cluster.assignment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import meshplane.cluster.model.Attachment;
import meshplane.cluster.model.TaskState;
import meshplane.dataplane.TaskEndpoints;

/**
 * One task the node runs or is stopping: {@code desired} and {@code state} as the cluster has
 * them, its network attachments, and its runtime (null when its service is gone: the task is
 * only to be stopped).
 */
public record AssignedTask(String id, String name, TaskState desired, TaskState state, List<Attachment> attachments,
    @JsonInclude(JsonInclude.Include.NON_NULL) TaskRuntime runtime) {

  public AssignedTask {
    attachments = List.copyOf(attachments);
  }

  public String shortId() {
    return TaskEndpoints.shortId(id);
  }

  /** Wanted running: desired RUNNING, not ended, and its service still there. */
  public boolean wanted() {
    return desired == TaskState.RUNNING && !state.isTerminal() && runtime != null;
  }
}
