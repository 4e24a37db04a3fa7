package meshplane.dataplane;

import meshplane.dataplane.json.StateJson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class StateValidatorTest {
  static final String GOOD = """
      {"node": "node1", "underlay": "198.18.0.1",
       "networks": [
         {"id": "ingress", "vni": 4096, "subnet": "10.255.0.0/16", "gateway": "10.255.0.1", "ingress": true, "lbAddress": "10.255.0.2"},
         {"id": "web", "vni": 4097, "subnet": "10.0.1.0/24", "gateway": "10.0.1.1", "ingress": false, "lbAddress": "10.0.1.250"}],
       "endpoints": [{"id": "web1", "network": "web", "ip": "10.0.1.3", "mac": "02:42:0a:00:01:03", "namespace": "mp-lab-node1-web1", "iface": "eth0"}],
       "peers": [{"network": "web", "ip": "10.0.1.4", "mac": "02:42:0a:00:01:04", "vtep": "198.18.0.2"}],
       "services": [{"name": "web", "endpointMode": "vip", "mark": 257, "vips": {"web": "10.0.1.2", "ingress": "10.255.0.5"},
                     "ports": [{"protocol": "tcp", "published": 8080, "target": 80, "mode": "ingress"}],
                     "backends": [{"network": "web", "ip": "10.0.1.3"}, {"network": "web", "ip": "10.0.1.4"}]}]}
      """;

  static List<String> problems(String json) {
    return assertThrows(InvalidStateException.class, () -> StateJson.parse(json)).problems();
  }

  @Test
  void theDocumentedExampleIsValidAndRoundTrips() {
    DataplaneState s = StateJson.parse(GOOD);
    assertEquals(2, s.networks().size());
    assertEquals(s, StateJson.parse(StateJson.write(s)));
  }

  @Test
  void overlappingSubnetsAreRefused() {
    List<String> p = problems(GOOD.replace("\"subnet\": \"10.0.1.0/24\"", "\"subnet\": \"10.255.1.0/24\"")
        .replace("10.0.1.", "10.255.1."));
    assertTrue(p.contains("networks[1].subnet: 10.255.1.0/24 overlaps network ingress's 10.255.0.0/16"), p.toString());
  }

  @Test
  void aVipOutsideItsNetworkIsRefused() {
    List<String> p = problems(GOOD.replace("\"web\": \"10.0.1.2\"", "\"web\": \"10.0.2.2\""));
    assertEquals(List.of("services[0].vips.web: 10.0.2.2 must be a host address inside network web's subnet 10.0.1.0/24"), p);
  }

  @Test
  void aPortOutOfRangeIsRefused() {
    List<String> p = problems(GOOD.replace("\"published\": 8080", "\"published\": 70000"));
    assertEquals(List.of("services[0].ports[0].published: 70000 must be between 1 and 65535"), p);
  }

  @Test
  void aPortPublishedTwiceIsRefused() {
    String twice = GOOD.replace("\"ports\": [{\"protocol\": \"tcp\", \"published\": 8080, \"target\": 80, \"mode\": \"ingress\"}]",
        "\"ports\": [{\"protocol\": \"tcp\", \"published\": 8080, \"target\": 80, \"mode\": \"ingress\"},"
            + "{\"protocol\": \"tcp\", \"published\": 8080, \"target\": 81, \"mode\": \"ingress\"}]");
    assertEquals(List.of("services[0].ports[1].published: tcp/8080 is already published by services[0].ports[0]"), problems(twice));
  }

  @Test
  void dnsrrGetsNoVipAndEveryProblemIsReportedAtOnce() {
    List<String> p = problems(GOOD.replace("\"endpointMode\": \"vip\"", "\"endpointMode\": \"dnsrr\"")
        .replace("\"mark\": 257", "\"mark\": 0"));
    assertEquals(List.of("services[0].mark: 0 must be between 1 and 268435455", "services[0].vips: a dnsrr service gets no VIP"), p);
  }

  @Test
  void addressesAreTakenOncePerNetwork() {
    List<String> p = problems(GOOD.replace("\"ip\": \"10.0.1.4\", \"mac\"", "\"ip\": \"10.0.1.3\", \"mac\""));
    assertEquals(List.of("peers[0].ip: 10.0.1.3 is already used on network web"), p);
  }

  @Test
  void unknownFieldsAndBadJsonAreRefusedWithTheirPlace() {
    List<String> p = problems(GOOD.replace("\"iface\": \"eth0\"", "\"iface\": \"eth0\", \"ifname\": \"eth1\""));
    assertEquals(1, p.size());
    assertTrue(p.get(0).startsWith("endpoints[0]->") || p.get(0).contains("ifname"), p.toString());
    assertEquals(1, problems("{\"node\": ").size());
  }

  @Test
  void hostModeIsRefusedAsNotSupportedYet() {
    List<String> p = problems(GOOD.replace("\"mode\": \"ingress\"", "\"mode\": \"host\""));
    assertEquals(List.of("services[0].ports[0].mode: host mode is not supported yet: publish in ingress mode"), p);
  }

  @Test
  void aVipNeedsItsNetworksLoadBalancerAddress() {
    List<String> p = problems(GOOD.replace(", \"lbAddress\": \"10.0.1.250\"", ""));
    assertEquals(List.of("services[0].vips.web: network web has no lbAddress, so no lb_ sandbox holds its VIPs"), p);
  }

  @Test
  void publishingNeedsIngressSboxsAddressAndLbIsAReservedEndpointId() {
    List<String> p = problems(GOOD.replace(", \"lbAddress\": \"10.255.0.2\"", "").replace("\"id\": \"web1\"", "\"id\": \"lb\"")
        .replace(", \"ingress\": \"10.255.0.5\"", ""));
    assertEquals(List.of("endpoints[0].id: \"lb\" is reserved for the load-balancer sandboxes' endpoints",
        "services[0].ports[0].mode: ingress needs the ingress network's lbAddress (ingress_sbox's address)"), p);
  }

  @Test
  void everyValueThatDoesNotParseIsNamedAtOnce() {
    List<String> p = problems(GOOD.replace("\"underlay\": \"198.18.0.1\"", "\"underlay\": \"node1.example\"")
        .replace("\"mac\": \"02:42:0a:00:01:04\"", "\"mac\": \"02:42\"")
        .replace("\"endpointMode\": \"vip\"", "\"endpointMode\": \"VIP\"")
        .replace("\"protocol\": \"tcp\"", "\"protocol\": \"sctp\""));
    assertEquals(List.of("underlay: \"node1.example\" is not an IP address",
        "peers[0].mac: \"02:42\" must be six hex pairs separated by ':'",
        "services[0].endpointMode: \"VIP\" must be vip or dnsrr",
        "services[0].ports[0].protocol: \"sctp\" must be tcp or udp"), p);
  }

  @Test
  void aStateEmbeddedInAnotherDocumentReadsAndIsCheckedTheSameWay() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper().registerModule(StateJson.module());
    record Holder(long version, DataplaneState state) {}
    DataplaneState s = StateJson.parse(GOOD);
    String json = m.writeValueAsString(new Holder(7, s));
    assertEquals(s, m.readValue(json, Holder.class).state());
    String bad = json.replace("\"mark\":257", "\"mark\":0");
    Exception e = assertThrows(com.fasterxml.jackson.databind.JsonMappingException.class, () -> m.readValue(bad, Holder.class));
    assertTrue(e.getMessage().contains("services[0].mark: 0 must be between 1 and 268435455"), e.getMessage());
  }

  @Test
  void addressesAreTypedAndModesAreEnums() {
    DataplaneState s = StateJson.parse(GOOD);
    assertEquals(Addresses.ipv4("10.0.1.2"), s.services().get(0).vip("web").orElseThrow());
    assertEquals(EndpointMode.VIP, s.services().get(0).endpointMode());
    assertEquals(new PortSpec(Protocol.TCP, 8080, 80, PublishMode.INGRESS), s.services().get(0).ports().get(0));
    assertEquals(24, s.networks().get(1).subnet().length());
    assertTrue(s.networks().get(0).lbAddress().isPresent());
  }
}
