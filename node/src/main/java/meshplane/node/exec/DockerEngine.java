package meshplane.node.exec;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The local dockerd as the docker executor sees it: a docker-java client on its socket, and the
 * one place where "the engine cannot be reached" becomes an error that names the socket (a
 * refused or missing socket otherwise surfaces as a bare I/O error deep in the HTTP client).
 * Errors dockerd itself returns ({@link DockerException}: no such image, conflict, ...) pass
 * through for the caller to interpret.
 */
final class DockerEngine implements AutoCloseable {
  /** Where dockerd listens unless told otherwise (scripts/docker-engine.sh starts it there). */
  static final URI DEFAULT_HOST = URI.create("unix:///var/run/docker.sock");

  private final URI host;
  private final DockerClient client;

  DockerEngine(URI host) {
    this.host = host;
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(host.toString())
        .withDockerTlsVerify(false)
        .build();
    // No response timeout: following a container's logs keeps a response open for the
    // container's whole life.
    ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost())
        .sslConfig(config.getSSLConfig())
        .maxConnections(64)
        .connectionTimeout(Duration.ofSeconds(10))
        .build();
    this.client = DockerClientImpl.getInstance(config, http);
  }

  URI host() {
    return host;
  }

  DockerClient client() {
    return client;
  }

  /**
   * Runs one request to dockerd; a failure to reach it becomes an {@link IllegalStateException}
   * naming {@code operation} and the socket.
   */
  <T> T call(String operation, Supplier<T> request) {
    try {
      return request.get();
    } catch (DockerException e) {
      throw e;
    } catch (RuntimeException e) {
      if (hasIoCause(e)) {
        throw new IllegalStateException("docker: " + operation + ": cannot reach dockerd at " + host + ": "
            + rootMessage(e) + " (is it running? scripts/docker-engine.sh start)", e);
      }
      throw e;
    }
  }

  /** As {@link #call} for requests with no result. */
  void run(String operation, Runnable request) {
    call(operation, () -> {
      request.run();
      return null;
    });
  }

  /** The container of that name or id, or empty if dockerd has none. */
  Optional<InspectContainerResponse> inspect(String container) {
    try {
      return Optional.of(call("inspect container " + container,
          () -> client.inspectContainerCmd(container).exec()));
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException ignored) {
      // the connections are closed as far as they can be
    }
  }
}
