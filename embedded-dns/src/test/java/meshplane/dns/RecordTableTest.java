package meshplane.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import meshplane.dataplane.BackendSpec;
import meshplane.dataplane.DataplaneState;
import meshplane.dataplane.EndpointSpec;
import meshplane.dataplane.ServiceSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Type;
import meshplane.dataplane.Addresses;
import meshplane.netlink.MacAddress;
import java.util.Optional;
import meshplane.dataplane.EndpointMode;

@Tag("unit")
class RecordTableTest {
  private final RecordTable table = RecordTable.from(DnsStates.valid("ns", 3));
  private final Set<String> a = table.scopeOf("ns-a");
  private final Set<String> b = table.scopeOf("ns-b");

  private LocalAnswer ask(Set<String> scope, String name, int type) throws Exception {
    return table.lookup(scope, Name.fromString(name, Name.root), type, 5);
  }

  private static Set<String> rdata(LocalAnswer ans) {
    return ((LocalAnswer.Found) ans).answers().stream().map(Record::rdataToString).collect(Collectors.toSet());
  }

  @Test
  void scopesFollowEndpointNamespaces() {
    assertEquals(Set.of("web"), a);
    assertEquals(Set.of("db", "web"), b);
    assertEquals(Set.of("ns-a", "ns-b"), table.namespaces());
  }

  @Test
  void vipServiceAnswersItsVipAndTasksAnswersEveryTask() throws Exception {
    assertEquals(Set.of("10.0.1.2"), rdata(ask(a, "web", Type.A)));
    assertEquals(Set.of("10.0.1.3", "10.0.1.4", "10.0.1.5"), rdata(ask(a, "tasks.web", Type.A)));
    assertEquals(Set.of("10.0.1.2"), rdata(ask(a, "WeB.", Type.A)), "names are case-insensitive");
  }

  @Test
  void theIngressNetworkHasNoNames() throws Exception {
    // a task of a publishing service sits on ingress and on its own network, as Swarm attaches it
    DataplaneState v = DnsStates.valid("ns", 0);
    List<EndpointSpec> eps = new java.util.ArrayList<>(v.endpoints());
    eps.add(new EndpointSpec("ai", "ingress", Addresses.ipv4("10.255.0.9"), MacAddress.parse("02:42:0a:ff:00:09"), "ns-a", "eth1", Optional.of("web.1.aaa")));
    List<ServiceSpec> svcs = v.services().stream().map(x -> !x.name().equals("web") ? x
        : new ServiceSpec("web", EndpointMode.VIP, x.mark(), java.util.Map.of("web", Addresses.ipv4("10.0.1.2"), "ingress", Addresses.ipv4("10.255.0.5")), x.ports(),
            java.util.stream.Stream.concat(x.backends().stream(), java.util.stream.Stream.of(new BackendSpec("ingress", Addresses.ipv4("10.255.0.9"), Optional.of("web.1.aaa")))).toList()))
        .toList();
    RecordTable t = RecordTable.from(new DataplaneState(v.node(), v.underlay(), v.networks(), eps, v.peers(), svcs));
    Set<String> scope = t.scopeOf("ns-a");
    assertEquals(Set.of("10.0.1.2"), rdata(t.lookup(scope, Name.fromString("web."), Type.A, 5)), "the VIP on web only");
    assertEquals(Set.of("10.0.1.3", "10.0.1.4", "10.0.1.5"), rdata(t.lookup(scope, Name.fromString("tasks.web."), Type.A, 5)));
    assertEquals(Set.of("10.0.1.3"), rdata(t.lookup(scope, Name.fromString("web.1.aaa."), Type.A, 5)));
  }

  @Test
  void dnsrrServiceAnswersTaskIpsOnlyToItsNetworks() throws Exception {
    assertEquals(Set.of("10.0.2.3", "10.0.2.4"), rdata(ask(b, "db", Type.A)));
    assertInstanceOf(LocalAnswer.NotLocal.class, ask(a, "db", Type.A), "a is not on db: forwarded, not answered");
    assertInstanceOf(LocalAnswer.NotLocal.class, ask(a, "tasks.db", Type.A));
  }

  @Test
  void taskNameAndShortIdAnswerTheTaskIp() throws Exception {
    assertEquals(Set.of("10.0.1.4"), rdata(ask(a, "web.2.bbb", Type.A)));
    assertEquals(Set.of("10.0.1.3"), rdata(ask(b, "a", Type.A)));
    assertEquals(Set.of("10.0.1.20", "10.0.2.20"), rdata(ask(b, "cli.1.zzz", Type.A)), "one task on two networks");
    assertEquals(Set.of("10.0.1.20"), rdata(ask(a, "cli.1.zzz", Type.A)), "only the address on a's network");
  }

  @Test
  void aaaaOrTxtForAnExistingNameIsNoData() throws Exception {
    assertInstanceOf(LocalAnswer.NoData.class, ask(a, "web", Type.AAAA));
    assertInstanceOf(LocalAnswer.NoData.class, ask(a, "tasks.web", Type.TXT));
    assertInstanceOf(LocalAnswer.NoData.class, ask(a, "web.1.aaa", Type.MX));
    assertInstanceOf(LocalAnswer.NotLocal.class, ask(a, "nosuch", Type.A));
    assertInstanceOf(LocalAnswer.NotLocal.class, ask(a, "example.com", Type.AAAA));
  }

  @Test
  void ptrForVipsAndTasksNxdomainInsideOurSubnetsForwardOutside() throws Exception {
    assertEquals(Set.of("web."), rdata(ask(a, "2.1.0.10.in-addr.arpa", Type.PTR)));
    assertEquals(Set.of("web.2.bbb."), rdata(ask(a, "4.1.0.10.in-addr.arpa", Type.PTR)));
    assertEquals(Set.of("cli.1.zzz."), rdata(ask(b, "20.2.0.10.in-addr.arpa", Type.PTR)), "the task name beats the short id");
    assertInstanceOf(LocalAnswer.NxDomain.class, ask(a, "99.1.0.10.in-addr.arpa", Type.PTR));
    assertInstanceOf(LocalAnswer.NotLocal.class, ask(a, "3.2.0.10.in-addr.arpa", Type.PTR), "db is not a's network");
    assertInstanceOf(LocalAnswer.NotLocal.class, ask(a, "1.1.168.192.in-addr.arpa", Type.PTR));
    assertInstanceOf(LocalAnswer.NoData.class, ask(a, "2.1.0.10.in-addr.arpa", Type.A));
    assertNull(RecordTable.reverseAddress("1.0.10.in-addr.arpa"));
    assertNull(RecordTable.reverseAddress("300.1.0.10.in-addr.arpa"));
  }

  @Test
  void srvForPublishedPortsWithTargetAddresses() throws Exception {
    LocalAnswer ans = ask(a, "_tcp.web", Type.SRV);
    SRVRecord srv = (SRVRecord) ((LocalAnswer.Found) ans).answers().get(0);
    assertEquals(80, srv.getPort());
    assertEquals("web.", srv.getTarget().toString());
    assertEquals(Set.of("10.0.1.2"), ((LocalAnswer.Found) ans).additional().stream()
        .map(Record::rdataToString).collect(Collectors.toSet()));
    assertInstanceOf(LocalAnswer.Found.class, ask(a, "_80._tcp.web", Type.SRV));
    assertInstanceOf(LocalAnswer.NoData.class, ask(a, "_tcp.web", Type.A));
    assertInstanceOf(LocalAnswer.NotLocal.class, ask(a, "_udp.web", Type.SRV));
  }

  @Test
  void answersAreShuffled() throws Exception {
    RecordTable big = RecordTable.from(DnsStates.valid("ns", 20));
    Set<List<String>> orders = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      LocalAnswer ans = big.lookup(big.scopeOf("ns-a"), Name.fromString("big."), Type.A, 5);
      orders.add(((LocalAnswer.Found) ans).answers().stream().map(Record::rdataToString).toList());
    }
    assertTrue(orders.size() > 1, "20 answers in the same order 20 times");
  }
}
