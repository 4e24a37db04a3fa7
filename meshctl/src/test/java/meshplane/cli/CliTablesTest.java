package meshplane.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import meshplane.cluster.api.ApiClient;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Tables and progress rendered from JSON shaped like the model records (pure functions). */
@Tag("unit")
class CliTablesTest {
  static List<JsonNode> items(String json) throws Exception {
    return Json.items(ApiClient.JSON.readTree(json), "x");
  }

  @Test
  void columnsAreAlignedLikeDockers() {
    String t = Tables.render(List.of("ID", "NAME"), List.of(List.of("a", "averyveryverylongname"), List.of("bbbbbbbbbbbbb", "")));
    assertEquals("ID              NAME\na               averyveryverylongname\nbbbbbbbbbbbbb\n", t);
  }

  @Test
  void nodeLs() throws Exception {
    String t = NodeCommand.Ls.table(items("""
        [{"id":"bbbbbbbbbbbbbbbbbbbbbbbbb","hostname":"node2","role":"WORKER","availability":"DRAIN","status":"READY"},
         {"id":"aaaaaaaaaaaaaaaaaaaaaaaaa","hostname":"node1","role":"MANAGER","availability":"ACTIVE","status":"READY","leader":true,"reachable":true},
         {"id":"ccccccccccccccccccccccccc","hostname":"node3","role":"MANAGER","availability":"ACTIVE","status":"DOWN","leader":false,"reachable":false}]"""),
        "aaaaaaaaaaaaaaaaaaaaaaaaa");
    assertEquals("""
        ID                            HOSTNAME   STATUS    AVAILABILITY   MANAGER STATUS
        aaaaaaaaaaaaaaaaaaaaaaaaa *   node1      Ready     Active         Leader
        bbbbbbbbbbbbbbbbbbbbbbbbb     node2      Ready     Drain
        ccccccccccccccccccccccccc     node3      Down      Active         Unreachable
        """, t);
  }

  @Test
  void networkLsAcceptsAWrappedList() throws Exception {
    String t = NetworkCommand.Ls.table(Json.items(ApiClient.JSON.readTree("""
        {"networks":[{"id":"n4098","name":"my-long-net","vni":4098,"subnet":"10.0.1.0/24"},
                     {"id":"ingress","name":"ingress","vni":4096,"subnet":"10.255.0.0/16","ingress":true}]}"""), "networks"));
    assertEquals("""
        NETWORK ID   NAME          DRIVER    SCOPE     SUBNET
        ingress      ingress       overlay   swarm     10.255.0.0/16
        n4098        my-long-net   overlay   swarm     10.0.1.0/24
        """, t);
  }

  @Test
  void serviceLs() throws Exception {
    String t = ServiceCommand.Ls.table(items("""
        [{"id":"x3k9a8b7c6d5e4f3g2h1i0j9k","running":2,"desired":3,"version":1,
          "spec":{"name":"web","mode":"REPLICATED","replicas":3,"image":"meshplane/whoami",
                  "ports":[{"protocol":"tcp","published":8080,"target":80,"mode":"ingress"},
                           {"protocol":"udp","published":30000,"target":53,"mode":"ingress"}]}},
         {"id":"a1","running":3,"spec":{"name":"mon","mode":"GLOBAL","replicas":0,"image":"busybox"}}]"""));
    assertEquals("""
        ID             NAME      MODE         REPLICAS   IMAGE              PORTS
        a1             mon       global       3/0        busybox
        x3k9a8b7c6d5   web       replicated   2/3        meshplane/whoami   *:8080->80/tcp,*:30000->53/udp
        """, t);
  }

  @Test
  void servicePsGroupsBySlotWithHistoryRows() throws Exception {
    long now = 1_000_000;
    String t = ServiceCommand.Ps.table(items("""
        [{"id":"bbbbbbbbbbbbbbbbbbbbbbbbb","serviceName":"web","slot":2,"nodeId":"n2","nodeHostname":"node2",
          "desired":"RUNNING","state":"RUNNING","createdAt":10,"updatedAt":995000},
         {"id":"aaaaaaaaaaaaaaaaaaaaaaaaa","serviceName":"web","slot":1,"nodeId":"n1","nodeHostname":"node1",
          "desired":"SHUTDOWN","state":"FAILED","message":"exit status 1","createdAt":1,"updatedAt":880000},
         {"id":"ddddddddddddddddddddddddd","serviceName":"web","slot":1,"nodeId":"n3",
          "desired":"RUNNING","state":"PENDING","message":"no suitable node","createdAt":5,"updatedAt":999500}]"""),
        "busybox", now);
    assertEquals("""
        ID           NAME        IMAGE     NODE      DESIRED STATE   CURRENT STATE                    ERROR
        dddddddddd   web.1       busybox   n3        Running         Pending Less than a second ago
        aaaaaaaaaa    \\_ web.1   busybox   node1     Shutdown        Failed 2 minutes ago             "exit status 1"
        bbbbbbbbbb   web.2       busybox   node2     Running         Running 5 seconds ago
        """, t);
  }

  @Test
  void inspectPretty() throws Exception {
    String p = ServiceCommand.Inspect.prettyText(ApiClient.JSON.readTree("""
        {"id":"s1","version":1,"vips":{"ingress":"10.255.0.5","front":"10.0.0.2"},
         "spec":{"name":"web","mode":"REPLICATED","replicas":3,"constraints":["node.role==worker"],"cpus":500,"memory":67108864,
                 "image":"busybox","command":["httpd","-f"],"env":{"A":"1"},"endpointMode":"vip","networks":["front"],
                 "restart":{"condition":"any","delayMillis":5000,"maxAttempts":0},"executor":"process",
                 "ports":[{"protocol":"tcp","published":8080,"target":80,"mode":"ingress"}]}}"""));
    for (String line : new String[] {"ID:\ts1", "Service Mode:\tReplicated", " Replicas:\t3", " Constraints:\tnode.role==worker",
        " Delay:\t5s", " Image:\tbusybox", " Args:\thttpd -f", "  A=1", "  CPU:\t0.5", "  Memory:\t64MiB", "Networks:\tfront",
        " front:\t10.0.0.2", " PublishedPort = 8080"}) {
      assertTrue(p.contains(line + "\n"), "missing \"" + line + "\" in:\n" + p);
    }
  }

  @Test
  void progressOfAReplicatedServiceSeesOnlyTheCurrentVersionsNewestTaskPerSlot() throws Exception {
    JsonNode svc = ApiClient.JSON.readTree("{\"version\":2,\"spec\":{\"mode\":\"REPLICATED\",\"replicas\":3}}");
    TaskProgress p = TaskProgress.of(svc, items("""
        [{"id":"old","slot":1,"serviceVersion":1,"state":"RUNNING","createdAt":1},
         {"id":"a","slot":1,"serviceVersion":2,"state":"RUNNING","createdAt":5},
         {"id":"b0","slot":2,"serviceVersion":2,"state":"FAILED","createdAt":3},
         {"id":"b1","slot":2,"serviceVersion":2,"state":"STARTING","createdAt":6},
         {"id":"c","slot":3,"serviceVersion":2,"state":"PENDING","message":"no suitable node (1 node lacks memory)","createdAt":6}]"""));
    assertEquals(TaskProgress.Status.CONVERGING, p.status());
    assertEquals("overall progress: 1 out of 3 tasks", p.lines().get(0));
    assertTrue(p.lines().get(1).startsWith("1/3: running   [=================================================>]"), p.lines().get(1));
    assertTrue(p.lines().get(2).startsWith("2/3: starting  [====================================>"), p.lines().get(2));
    assertTrue(p.lines().get(3).startsWith("3/3: pending   [===========>") && p.lines().get(3).endsWith("] no suitable node (1 node lacks memory)"),
        p.lines().get(3));
  }

  @Test
  void progressEndsConvergedOrFailed() throws Exception {
    JsonNode svc = ApiClient.JSON.readTree("{\"version\":1,\"spec\":{\"replicas\":2}}");
    TaskProgress ok = TaskProgress.of(svc, items("""
        [{"id":"a","slot":1,"serviceVersion":1,"state":"RUNNING"},{"id":"b","slot":2,"serviceVersion":1,"state":"RUNNING"},
         {"id":"c","slot":3,"serviceVersion":1,"state":"STARTING"}]"""));
    assertEquals(TaskProgress.Status.CONVERGED, ok.status());
    TaskProgress missing = TaskProgress.of(svc, items("[{\"id\":\"a\",\"slot\":1,\"serviceVersion\":1,\"state\":\"RUNNING\"}]"));
    assertEquals(TaskProgress.Status.CONVERGING, missing.status());
    assertTrue(missing.lines().get(2).startsWith("2/2: new"), missing.lines().get(2));
    TaskProgress failed = TaskProgress.of(svc, items("""
        [{"id":"a","slot":1,"serviceVersion":1,"state":"RUNNING"},
         {"id":"b","slot":2,"serviceVersion":1,"state":"REJECTED","message":"image nosuch not found"}]"""));
    assertEquals(TaskProgress.Status.FAILED, failed.status());
    assertEquals("2/2: task rejected: image nosuch not found", failed.error());
    JsonNode zero = ApiClient.JSON.readTree("{\"version\":1,\"spec\":{\"replicas\":0}}");
    assertEquals(TaskProgress.Status.CONVERGED, TaskProgress.of(zero, List.of()).status());
  }

  @Test
  void progressOfAGlobalServiceCountsNodesWithADesiredRunningTask() throws Exception {
    JsonNode svc = ApiClient.JSON.readTree("{\"version\":1,\"spec\":{\"mode\":\"GLOBAL\"}}");
    assertEquals(TaskProgress.Status.CONVERGING, TaskProgress.of(svc, List.of()).status());
    TaskProgress p = TaskProgress.of(svc, items("""
        [{"id":"a","nodeId":"node1id","slot":0,"serviceVersion":1,"desired":"RUNNING","state":"RUNNING"},
         {"id":"b","nodeId":"node2id","slot":0,"serviceVersion":1,"desired":"RUNNING","state":"ASSIGNED"},
         {"id":"c","nodeId":"node3id","slot":0,"serviceVersion":1,"desired":"SHUTDOWN","state":"SHUTDOWN"}]"""));
    assertEquals("overall progress: 1 out of 2 tasks", p.lines().get(0));
    assertTrue(p.lines().get(1).startsWith("node1id: running"), p.lines().get(1));
    assertTrue(p.lines().get(2).startsWith("node2id: assigned"), p.lines().get(2));
  }
}
