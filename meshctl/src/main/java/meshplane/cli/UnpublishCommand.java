package meshplane.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import meshplane.cluster.api.ApiClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshctl unpublish PUBLISHED[/PROTO] SERVICE}: stop publishing a port (protocol tcp when not given). */
@Command(name = "unpublish", mixinStandardHelpOptions = true, description = "Stop publishing a service's port: meshctl unpublish 8080 web")
final class UnpublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;
  @Parameters(index = "0", paramLabel = "PUBLISHED[/PROTO]", converter = FlagConverters.Published.class) ServiceFlags.PublishedPort port;
  @Parameters(index = "1", paramLabel = "SERVICE") String service;

  /** {@code {published, protocol}}. */
  static ObjectNode body(ServiceFlags.PublishedPort p) {
    return ApiClient.JSON.createObjectNode().put("published", p.published()).put("protocol", p.protocol().wire());
  }

  @Override
  public Integer call() {
    api.client().post(ServiceCommand.path(service) + "/unpublish", body(port));
    spec.commandLine().getOut().println(service + ": unpublished " + port);
    return 0;
  }
}
