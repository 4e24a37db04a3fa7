package meshplane.cluster.model;

/** An agent's word on one of its tasks: its state, a message, the exit code when it ended, when. */
public record TaskReport(String taskId, TaskState state, String message, Integer exitCode, long at) {}
