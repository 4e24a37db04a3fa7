package meshplane.cluster.orchestrator;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.ServiceSpec;

/**
 * How large one service's spec (and a node's labels) may be: every spec is replicated to every
 * manager, kept in each snapshot and sent to each node that runs a task of it, so its size is
 * bounded before it is written. A refusal names the field and the limit ({@code env: 300
 * variables, at most 256}). The rules of what a field may hold are {@link ServiceSpecValidator}'s.
 */
public final class SpecLimits {
  public static final int MAX_ENV = 256;
  public static final int MAX_ENV_NAME = 256;
  public static final int MAX_ENV_VALUE = 32 << 10;
  public static final int MAX_ARGS = 256;
  public static final int MAX_ARG = 32 << 10;
  /** The command and the environment together, in bytes (the kernel's own limit for both is 2 MiB). */
  public static final int MAX_EXEC_BYTES = 256 << 10;
  public static final int MAX_PORTS = 64;
  public static final int MAX_CONSTRAINTS = 32;
  public static final int MAX_CONSTRAINT = 256;
  public static final int MAX_NETWORKS = 16;
  public static final int MAX_IMAGE = 512;
  public static final int MAX_LABELS = 64;
  public static final int MAX_LABEL_VALUE = 256;

  private SpecLimits() {}

  public static void check(ServiceSpec spec) {
    count("env", spec.env().size(), MAX_ENV, "variables");
    for (Map.Entry<String, String> e : spec.env().entrySet()) {
      length("env", e.getKey(), MAX_ENV_NAME, "a variable's name");
      length("env." + e.getKey(), e.getValue(), MAX_ENV_VALUE, "its value");
    }
    count("command", spec.command().size(), MAX_ARGS, "arguments");
    for (int i = 0; i < spec.command().size(); i++) {
      length("command[" + i + "]", spec.command().get(i), MAX_ARG, "an argument");
    }
    long bytes = execBytes(spec);
    if (bytes > MAX_EXEC_BYTES) {
      throw new InvalidRequestException("command", "the command and the environment take " + bytes + " bytes, at most "
          + MAX_EXEC_BYTES);
    }
    length("image", spec.image(), MAX_IMAGE, "the image");
    count("ports", spec.ports().size(), MAX_PORTS, "published ports");
    count("networks", spec.networks().size(), MAX_NETWORKS, "networks");
    count("constraints", spec.constraints().size(), MAX_CONSTRAINTS, "constraints");
    strings("constraints", spec.constraints(), MAX_CONSTRAINT);
  }

  /** The bytes of the command and the environment as a process gets them ({@code NAME=value\0}, {@code arg\0}). */
  static long execBytes(ServiceSpec spec) {
    long bytes = 0;
    for (Map.Entry<String, String> e : spec.env().entrySet()) {
      bytes += utf8(e.getKey()) + utf8(e.getValue()) + 2;
    }
    for (String arg : spec.command()) {
      bytes += utf8(arg) + 1;
    }
    return bytes;
  }

  /** A node's labels ({@code node update --label-add}), as they would be after the change. */
  public static void checkLabels(String field, Map<String, String> labels) {
    count(field, labels.size(), MAX_LABELS, "labels");
    for (Map.Entry<String, String> e : labels.entrySet()) {
      length(field + "." + e.getKey(), e.getValue(), MAX_LABEL_VALUE, "a label's value");
    }
  }

  private static void strings(String field, List<String> values, int max) {
    for (int i = 0; i < values.size(); i++) {
      length(field + "[" + i + "]", values.get(i), max, "each");
    }
  }

  private static void count(String field, int n, int max, String what) {
    if (n > max) {
      throw new InvalidRequestException(field, n + " " + what + ", at most " + max);
    }
  }

  private static void length(String field, String value, int max, String what) {
    if (value != null && value.length() > max) {
      throw new InvalidRequestException(field, what + " is " + value.length() + " characters long, at most " + max);
    }
  }

  private static long utf8(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
