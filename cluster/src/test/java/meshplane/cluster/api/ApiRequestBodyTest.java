package meshplane.cluster.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import meshplane.cluster.model.InvalidRequestException;
import meshplane.cluster.model.ServiceSpec;
import meshplane.dataplane.EndpointMode;
import meshplane.dataplane.Protocol;
import meshplane.dataplane.PublishMode;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A request body is typed where it is read: modes and protocols as enums, a bad one refused naming its field and rule. */
@Tag("unit")
class ApiRequestBodyTest {
  private static ServiceSpec spec(String json) {
    return new ApiRequest("POST", "/v1/services", Map.of(), Map.of(), json.getBytes(StandardCharsets.UTF_8), Caller.LOCAL).body(ServiceSpec.class);
  }

  @Test
  void modesAndProtocolsReadAsTheirWireNamesAndDefault() {
    ServiceSpec s = spec("{\"name\":\"web\",\"endpointMode\":\"dnsrr\",\"ports\":[{\"protocol\":\"udp\",\"published\":53,\"target\":53,\"mode\":\"ingress\"},{\"target\":80}]}");
    assertEquals(EndpointMode.DNSRR, s.endpointMode());
    assertEquals(Protocol.UDP, s.ports().get(0).protocol());
    assertEquals(PublishMode.INGRESS, s.ports().get(0).mode());
    assertEquals(Protocol.TCP, s.ports().get(1).protocol(), "no protocol: tcp, as docker -p");
    assertEquals(PublishMode.INGRESS, s.ports().get(1).mode());
    assertEquals(EndpointMode.VIP, spec("{\"name\":\"web\"}").endpointMode());
  }

  @Test
  void aBadModeOrProtocolIsRefusedNamingTheFieldAndTheRule() {
    InvalidRequestException p = assertThrows(InvalidRequestException.class,
        () -> spec("{\"name\":\"web\",\"ports\":[{\"protocol\":\"sctp\",\"published\":80,\"target\":80}]}"));
    assertEquals("protocol", p.field());
    assertEquals("protocol: \"sctp\" must be tcp or udp", p.getMessage());
    InvalidRequestException m = assertThrows(InvalidRequestException.class, () -> spec("{\"name\":\"web\",\"endpointMode\":\"rr\"}"));
    assertEquals("endpointMode", m.field());
    assertEquals("endpointMode: \"rr\" must be vip or dnsrr", m.getMessage());
  }

  @Test
  void deeplyNestedJsonAndHugeStringsAreRefused400NamingTheLimit() {
    InvalidRequestException deep = assertThrows(InvalidRequestException.class,
        () -> spec("{\"name\":\"web\",\"unknown\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"));
    org.junit.jupiter.api.Assertions.assertTrue(deep.getMessage().contains("nesting depth")
        && deep.getMessage().contains(String.valueOf(meshplane.json.JsonMappers.API_MAX_DEPTH)), deep.getMessage());
    InvalidRequestException big = assertThrows(InvalidRequestException.class,
        () -> spec("{\"name\":\"" + "w".repeat(meshplane.json.JsonMappers.API_MAX_STRING + 1) + "\"}"));
    org.junit.jupiter.api.Assertions.assertTrue(big.getMessage().contains("String value length"), big.getMessage());
  }
}
