package meshplane.cli;

import meshplane.dataplane.Protocol;
import meshplane.dataplane.PublishMode;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import meshplane.cluster.model.PortConfig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every flag kind parsed as docker reads it, and refused with the value and the rule. */
@Tag("unit")
class CliFlagParsingTest {
  static void refused(Runnable r, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void publish() {
    assertEquals(new PortConfig(Protocol.TCP, 8080, 80, PublishMode.INGRESS), ServiceFlags.publish("8080:80"));
    assertEquals(new PortConfig(Protocol.UDP, 53, 5353, PublishMode.INGRESS), ServiceFlags.publish("53:5353/udp"));
    assertEquals(new PortConfig(Protocol.TCP, 0, 80, PublishMode.INGRESS), ServiceFlags.publish("80"));
    assertEquals(new PortConfig(Protocol.UDP, 0, 53, PublishMode.INGRESS), ServiceFlags.publish("53/UDP"));
    refused(() -> ServiceFlags.publish("80800:80"), "published port 80800 must be 1-65535");
    refused(() -> ServiceFlags.publish("8080:0"), "target port 0 must be 1-65535");
    refused(() -> ServiceFlags.publish("8080:80/sctp"), "protocol sctp must be tcp or udp");
    refused(() -> ServiceFlags.publish("a:80"), "must be PUBLISHED:TARGET[/tcp|udp] or TARGET[/tcp|udp]");
    refused(() -> ServiceFlags.publish("1:2:3"), "must be PUBLISHED:TARGET");
    assertEquals(new ServiceFlags.PublishedPort(8080, Protocol.TCP), ServiceFlags.published("8080"));
    assertEquals(new ServiceFlags.PublishedPort(53, Protocol.UDP), ServiceFlags.published("53/udp"));
    refused(() -> ServiceFlags.published("8080:80"), "must be PUBLISHED[/tcp|udp]");
    assertEquals("*:8080->80/tcp", ServiceFlags.portText(8080, 80, "tcp"));
  }

  @Test
  void durations() {
    assertEquals(5_000, Durations.parseMillis("5s"));
    assertEquals(500, Durations.parseMillis("500ms"));
    assertEquals(90_000, Durations.parseMillis("1m30s"));
    assertEquals(5_400_000, Durations.parseMillis("1.5h"));
    assertEquals(0, Durations.parseMillis("0"));
    refused(() -> Durations.parseMillis("5"), "is not a duration");
    refused(() -> Durations.parseMillis("5x"), "is not a duration");
    refused(() -> Durations.parseMillis("-1s"), "is not a duration");
    refused(() -> Durations.parseMillis(""), "is not a duration");
    assertEquals("5s", Durations.format(5_000));
    assertEquals("500ms", Durations.format(500));
    assertEquals("2m", Durations.format(120_000));
  }

  @Test
  void memory() {
    assertEquals(64L << 20, ByteSizes.parse("64M"));
    assertEquals(64L << 20, ByteSizes.parse("64mb"));
    assertEquals(1L << 30, ByteSizes.parse("1G"));
    assertEquals(3L << 29, ByteSizes.parse("1.5GiB"));
    assertEquals(1048576, ByteSizes.parse("1048576"));
    assertEquals(512 << 10, ByteSizes.parse("512k"));
    refused(() -> ByteSizes.parse("64X"), "is not a size");
    refused(() -> ByteSizes.parse("-1M"), "is not a size");
    refused(() -> ByteSizes.parse("M"), "is not a size");
    assertEquals("64MiB", ByteSizes.format(64L << 20));
    assertEquals("1.5GiB", ByteSizes.format(3L << 29));
  }

  @Test
  void cpu() {
    assertEquals(500, ServiceFlags.cpuMillis("0.5"));
    assertEquals(2000, ServiceFlags.cpuMillis("2"));
    assertEquals(125, ServiceFlags.cpuMillis("0.125"));
    refused(() -> ServiceFlags.cpuMillis("0.0001"), "at most 3 decimals");
    refused(() -> ServiceFlags.cpuMillis("-1"), "from 0 to");
    refused(() -> ServiceFlags.cpuMillis("half"), "must be a number of CPUs");
  }

  @Test
  void constraints() {
    assertEquals("node.labels.zone==a", ServiceFlags.constraint("node.labels.zone == a"));
    assertEquals("node.role==manager", ServiceFlags.constraint("node.role==manager"));
    assertEquals("node.hostname!=node2", ServiceFlags.constraint("node.hostname!=node2"));
    assertEquals("node.id==abc", ServiceFlags.constraint("node.id==abc"));
    refused(() -> ServiceFlags.constraint("node.role=manager"), "must be KEY==VALUE or KEY!=VALUE");
    refused(() -> ServiceFlags.constraint("node.role==boss"), "node.role must be compared with manager or worker");
    refused(() -> ServiceFlags.constraint("engine.labels.x==y"), "engine.labels.x is not a constraint key");
    refused(() -> ServiceFlags.constraint("node.labels.==y"), "is not a constraint key");
    refused(() -> ServiceFlags.constraint("node.id=="), "must be KEY==VALUE");
  }

  @Test
  void envLabelsScaleAndArgs() {
    assertEquals(Map.entry("A", "b=c"), ServiceFlags.env("A=b=c"));
    assertEquals(Map.entry("EMPTY", ""), ServiceFlags.env("EMPTY="));
    refused(() -> ServiceFlags.env("NOVALUE"), "must be NAME=VALUE");
    refused(() -> ServiceFlags.env("1X=2"), "must be NAME=VALUE");
    assertEquals(Map.entry("zone", "a"), ServiceFlags.label("zone=a"));
    assertEquals(Map.entry("ssd", ""), ServiceFlags.label("ssd"));
    refused(() -> ServiceFlags.label("=a"), "non-empty key");
    assertEquals(Map.entry("web", 3), ServiceFlags.scale("web=3"));
    refused(() -> ServiceFlags.scale("web"), "must be SERVICE=REPLICAS");
    refused(() -> ServiceFlags.scale("web=-1"), "replicas -1 must be a whole number from 0 to 10000");
    assertEquals(List.of("sh", "-c", "echo hi there", "x"), ServiceFlags.words("sh -c 'echo hi there' x"));
    assertEquals(List.of("a", ""), ServiceFlags.words("a \"\""));
    refused(() -> ServiceFlags.words("a 'b"), "a quote is not closed");
  }
}
