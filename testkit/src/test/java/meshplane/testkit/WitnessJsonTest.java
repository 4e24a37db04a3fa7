package meshplane.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The JSON witnesses' parsing, on output as iproute2 6.1 and nftables 1.0.6 print it. */
@Tag("unit")
class WitnessJsonTest {

  @Test
  void ipPrintsNothingForAnEmptyList() {
    JsonNode none = IpJson.parse("");
    assertTrue(none.isArray());
    assertEquals(0, none.size());
    assertEquals(0, BridgeJson.parse("\n").size());
  }

  @Test
  void linksAreFoundByNameAndAddressesByLocal() {
    JsonNode links = IpJson.parse("[{\"ifindex\":1,\"ifname\":\"lo\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"127.0.0.1\","
        + "\"prefixlen\":8},{\"family\":\"inet6\",\"local\":\"::1\",\"prefixlen\":128}]},"
        + "{\"ifindex\":4,\"ifname\":\"eth0\",\"addr_info\":[{\"family\":\"inet\",\"local\":\"198.18.0.2\",\"prefixlen\":24}]}]");
    assertEquals(4, IpJson.linkNamed(links, "eth0").path("ifindex").asInt());
    assertNull(IpJson.linkNamed(links, "eth1"));
    assertEquals(Set.of("127.0.0.1", "::1", "198.18.0.2"), IpJson.locals(links));
  }

  @Test
  void nftObjectsAreListedByKind() {
    JsonNode items = NftJson.parse("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\", \"json_schema_version\": 1}},"
        + " {\"table\": {\"family\": \"ip\", \"name\": \"mp\", \"handle\": 1}},"
        + " {\"chain\": {\"family\": \"ip\", \"table\": \"mp\", \"name\": \"prerouting\", \"handle\": 1}},"
        + " {\"map\": {\"family\": \"ip\", \"name\": \"svc_marks\", \"table\": \"mp\", \"type\": \"ipv4_addr\", \"handle\": 2}},"
        + " {\"chain\": {\"family\": \"ip\", \"table\": \"mp\", \"name\": \"svc_1\", \"handle\": 3}}]}");
    assertEquals(List.of("mp/prerouting", "mp/svc_1"), NftJson.kinds(items, "chain"));
    assertEquals(List.of("mp/svc_marks"), NftJson.kinds(items, "map"));
  }

  @Test
  void outputThatIsNotTheToolsJsonIsRefusedShowingIt() {
    IllegalStateException notJson = assertThrows(IllegalStateException.class, () -> IpJson.parse("Cannot find device \"x\""));
    assertTrue(notJson.getMessage().startsWith("ip printed something that is not JSON"), notJson.getMessage());
    assertTrue(notJson.getMessage().contains("Cannot find device"), notJson.getMessage());
    IllegalStateException noArray = assertThrows(IllegalStateException.class, () -> NftJson.parse("{\"tables\": []}"));
    assertTrue(noArray.getMessage().contains("no nftables array"), noArray.getMessage());
  }
}
