package meshplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.Callable;
import meshplane.cluster.api.ApiClient;
import meshplane.cluster.model.PortConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code meshctl publish [PUBLISHED:]TARGET[/PROTO] SERVICE}: publish one more port of a running
 * service on every node (the routing mesh); without PUBLISHED the manager picks one (30000-32767)
 * and this prints it.
 */
@Command(name = "publish", mixinStandardHelpOptions = true,
    description = "Publish a service's TARGET port on every node: meshctl publish 8080:80 web, or meshctl publish 80 web for any free port.")
final class PublishCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ApiOptions api;
  @Parameters(index = "0", paramLabel = "[PUBLISHED:]TARGET[/PROTO]", converter = FlagConverters.Publish.class) PortConfig port;
  @Parameters(index = "1", paramLabel = "SERVICE") String service;

  /** {@code {published?, target, protocol}}: published left out when the manager chooses. */
  static ObjectNode body(PortConfig p) {
    ObjectNode b = ApiClient.JSON.createObjectNode();
    if (p.published() != 0) {
      b.put("published", p.published());
    }
    return b.put("target", p.target()).put("protocol", p.protocol().wire());
  }

  /** The port the answer names: a number, or an object with {@code published} (perhaps under {@code port}). */
  static int publishedOf(JsonNode answer, int asked) {
    if (answer != null && answer.isNumber()) {
      return answer.asInt();
    }
    if (answer != null && answer.has("published")) {
      return answer.path("published").asInt();
    }
    if (answer != null && answer.path("port").has("published")) {
      return answer.path("port").path("published").asInt();
    }
    return asked;
  }

  @Override
  public Integer call() {
    JsonNode a = api.client().post(ServiceCommand.path(service) + "/publish", body(port));
    int published = publishedOf(a, port.published());
    spec.commandLine().getOut().println(service + ": published " + ServiceFlags.portText(published, port.target(), port.protocol().wire()));
    return 0;
  }
}
