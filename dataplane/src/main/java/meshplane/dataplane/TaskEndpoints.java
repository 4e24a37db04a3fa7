package meshplane.dataplane;

/**
 * The naming rules of a task's place in the data plane, in one place: its short id (the first
 * 10 characters of its id), its network namespace ({@code <node namespace>-<short id>}) and the
 * endpoint id of its {@code index}-th network attachment.
 */
public final class TaskEndpoints {
  private static final int SHORT_ID = 10;
  private static final int ENDPOINT_PREFIX = 9;
  private static final String ENDPOINT_SUFFIXES = "123456789abcdefghijklmnopqrstuvwxyz";

  private TaskEndpoints() {}

  public static String shortId(String taskId) {
    return taskId.length() <= SHORT_ID ? taskId : taskId.substring(0, SHORT_ID);
  }

  /** The namespace a task of the node whose namespace is {@code nodeNamespace} runs in. */
  public static String namespace(String nodeNamespace, String taskId) {
    return nodeNamespace + "-" + shortId(taskId);
  }

  /** The interface of the {@code index}-th attachment inside the task's namespace. */
  public static String iface(int index) {
    return "eth" + index;
  }

  /**
   * The data-plane id of a task's endpoint on its {@code index}-th attachment: the short id for
   * the first; for the others the first 9 characters and one more, the index as a digit (then
   * letters) skipping the short id's own 10th character, which would give the first endpoint's id
   * again ({@code abcdefghi1...}: {@code abcdefghi1}, {@code abcdefghi2}, ...).
   */
  public static String endpointId(String taskId, int index) {
    if (index == 0) {
      return shortId(taskId);
    }
    String prefix = taskId.substring(0, Math.min(ENDPOINT_PREFIX, taskId.length()));
    String own = taskId.length() > ENDPOINT_PREFIX ? taskId.substring(ENDPOINT_PREFIX, ENDPOINT_PREFIX + 1) : "";
    String suffixes = ENDPOINT_SUFFIXES.replace(own, "");
    if (index > suffixes.length()) {
      throw new IllegalArgumentException("task " + taskId + ": attachment " + index + " has no endpoint id: at most "
          + (suffixes.length() + 1) + " networks per task");
    }
    return prefix + suffixes.charAt(index - 1);
  }
}
