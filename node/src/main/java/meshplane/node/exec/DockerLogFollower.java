package meshplane.node.exec;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a container's output (stdout and stderr, as docker's json-file log keeps it) into the
 * task's log file, following it until the container ends, so {@code service logs} reads the same
 * file for both executors. The copying runs on docker-java's streaming thread (a daemon thread).
 */
final class DockerLogFollower extends ResultCallback.Adapter<Frame> {
  private static final Logger LOG = LoggerFactory.getLogger(DockerLogFollower.class);

  private final String containerName;
  private final Path logFile;
  private final OutputStream out;
  private boolean outputClosed;

  private DockerLogFollower(String containerName, Path logFile, OutputStream out) {
    this.containerName = containerName;
    this.logFile = logFile;
    this.out = out;
  }

  /**
   * Starts following the output of {@code containerId} into {@code logFile} (appended to).
   * {@code sinceEpochSecond} 0 copies everything the container wrote; a later time only what it
   * wrote since (an adopted task whose earlier output the file already holds).
   */
  static DockerLogFollower follow(DockerClient docker, String containerId, String containerName, Path logFile,
      int sinceEpochSecond) {
    OutputStream out;
    try {
      if (logFile.getParent() != null) {
        Files.createDirectories(logFile.getParent());
      }
      out = Files.newOutputStream(logFile, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("follow the logs of container " + containerName + ": cannot open " + logFile, e);
    }
    DockerLogFollower follower = new DockerLogFollower(containerName, logFile, out);
    try {
      var cmd = docker.logContainerCmd(containerId).withFollowStream(true).withStdOut(true).withStdErr(true)
          .withTimestamps(false);
      if (sinceEpochSecond > 0) {
        cmd = cmd.withSince(sinceEpochSecond);
      }
      cmd.exec(follower);
      follower.awaitStarted(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      follower.closeQuietly();
    } catch (RuntimeException e) {
      follower.closeQuietly();
      throw e;
    }
    return follower;
  }

  @Override
  public synchronized void onNext(Frame frame) {
    if (outputClosed) {
      return;
    }
    try {
      out.write(frame.getPayload());
      out.flush();
    } catch (IOException e) {
      LOG.warn("container {}: cannot write its output to {}: {}", containerName, logFile, e.toString());
      closeOutput();
    }
  }

  @Override
  public void onError(Throwable error) {
    LOG.debug("container {}: log stream ended: {}", containerName, error.toString());
    closeQuietly();
  }

  @Override
  public void onComplete() {
    super.onComplete();
    closeOutput();
  }

  /** Stops following (the container's own log is kept by docker until it is removed). */
  void closeQuietly() {
    try {
      super.close();
    } catch (IOException | RuntimeException ignored) {
      // the stream is going away either way
    }
    closeOutput();
  }

  private synchronized void closeOutput() {
    if (outputClosed) {
      return;
    }
    outputClosed = true;
    try {
      out.close();
    } catch (IOException ignored) {
      // nothing more will be written
    }
  }
}
