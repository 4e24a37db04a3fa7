package meshplane.cluster.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a task's log is kept, as docker's json-file {@code --log-opt max-size} / {@code max-file}:
 * the log is rotated once it reaches {@code maxSize} bytes and at most {@code maxFile} files are
 * kept (the current one and {@code maxFile - 1} rotated ones). An absent field takes its default
 * ({@value #DEFAULT_MAX_SIZE} bytes, {@value #DEFAULT_MAX_FILE} files), and is left out of the JSON.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LogOptions(Long maxSize, Integer maxFile) {
  public static final long DEFAULT_MAX_SIZE = 10L * 1024 * 1024;
  public static final int DEFAULT_MAX_FILE = 3;
  public static final LogOptions DEFAULT = new LogOptions(DEFAULT_MAX_SIZE, DEFAULT_MAX_FILE);

  /** The size a log file is rotated at, the default when none is set. */
  public long maxSizeOrDefault() {
    return maxSize == null ? DEFAULT_MAX_SIZE : maxSize;
  }

  /** The files kept, the default when none is set. */
  public int maxFileOrDefault() {
    return maxFile == null ? DEFAULT_MAX_FILE : maxFile;
  }

  /** These options with {@code other}'s set fields replacing them (for {@code service update}). */
  public LogOptions with(LogOptions other) {
    if (other == null) {
      return this;
    }
    return new LogOptions(other.maxSize != null ? other.maxSize : maxSize,
        other.maxFile != null ? other.maxFile : maxFile);
  }
}
