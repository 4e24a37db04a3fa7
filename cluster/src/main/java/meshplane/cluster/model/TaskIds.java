package meshplane.cluster.model;

import java.util.regex.Pattern;

/**
 * What a task id may be: 1 to 64 characters of [0-9a-z] (the ids the cluster makes are 25). An
 * id becomes a file name on a node (its log, its state folder) and part of a namespace name, so
 * anything else, a slash or a dot above all, is refused before it is used.
 */
public final class TaskIds {
  private static final Pattern ID = Pattern.compile("[0-9a-z]{1,64}");
  static final String RULE = "must be a task id: 1 to 64 characters of [0-9a-z]";

  private TaskIds() {}

  public static boolean valid(String id) {
    return id != null && ID.matcher(id).matches();
  }

  /** {@code id} when it is one; else bad input naming {@code field}. */
  public static String check(String field, String id) {
    if (!valid(id)) {
      throw new InvalidRequestException(field, RULE);
    }
    return id;
  }
}
