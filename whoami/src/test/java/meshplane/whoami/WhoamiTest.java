package meshplane.whoami;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("unit")
class WhoamiTest {
  private Whoami whoami;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() {
    whoami = Whoami.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
  }

  @AfterEach
  void stop() {
    whoami.close();
  }

  @Test
  void answersWithHostnameAddressesRemoteRequestLineAndHeaders() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/some/path?x=1&y=%20z"))
        .header("X-Meshplane-Test", "abc").header("accept", "text/plain").timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());

    assertEquals(200, r.statusCode());
    assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElseThrow());
    List<String> lines = r.body().lines().toList();
    int i = 0;
    assertEquals("Hostname: " + Files.readString(Path.of("/proc/sys/kernel/hostname")).strip(), lines.get(i++));
    List<String> ips = new ArrayList<>();
    while (lines.get(i).startsWith("IP: ")) {
      ips.add(lines.get(i++).substring(4));
    }
    assertEquals(ipAddrLocals(), new HashSet<>(ips), "the IP lines are every address `ip -j addr` lists");
    assertEquals(ips.size(), new HashSet<>(ips).size(), "each address once: " + ips);
    assertTrue(lines.get(i++).matches("RemoteAddr: 127\\.0\\.0\\.1:\\d+"), r.body());
    assertEquals("GET /some/path?x=1&y=%20z HTTP/1.1", lines.get(i++));
    List<String> headers = lines.subList(i, lines.size());
    assertEquals("Host: 127.0.0.1:" + whoami.port(), headers.get(0), "Host first");
    assertTrue(headers.contains("X-Meshplane-Test: abc"), r.body());
    assertTrue(headers.contains("Accept: text/plain"), "canonical case: " + r.body());
    assertTrue(headers.stream().anyMatch(h -> h.startsWith("User-Agent: Java-http-client/")), r.body());
    List<String> names = headers.subList(1, headers.size()).stream().map(h -> h.substring(0, h.indexOf(':'))).toList();
    assertEquals(names.stream().sorted().toList(), names, "the other headers sorted by name");
  }

  @Test
  void remoteAddrIsTheClientsAddressAndPort() throws Exception {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), whoami.port())) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(("POST /form HTTP/1.1\r\nhost: here\r\nx-multi: 1\r\nx-multi: 2\r\ncontent-length: 5\r\n"
          + "connection: close\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String answer = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).lines()
          .collect(Collectors.joining("\n"));
      String body = answer.substring(answer.indexOf("\n\n") + 2);
      assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
      assertTrue(body.contains("\nRemoteAddr: 127.0.0.1:" + s.getLocalPort() + "\n"), body);
      assertTrue(body.contains("\nPOST /form HTTP/1.1\nHost: here\n"), body);
      assertTrue(body.endsWith("\nX-Multi: 1\nX-Multi: 2"), body);
    }
  }

  @Test
  void healthIsOk() throws Exception {
    HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertEquals("ok\n", r.body());
  }

  @Test
  void aNameComesFirst() throws Exception {
    try (Whoami named = Whoami.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), "blue")) {
      HttpResponse<String> r = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + named.port() + "/")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(r.body().startsWith("Name: blue\nHostname: "), r.body());
    }
  }

  @Test
  void optionsTakePortAndNameWithTheEnvironmentAsDefault() {
    assertEquals(new WhoamiOptions(80, null), WhoamiOptions.parse(List.of(), null));
    assertEquals(new WhoamiOptions(8080, null), WhoamiOptions.parse(List.of(), "8080"));
    assertEquals(new WhoamiOptions(81, "a b"), WhoamiOptions.parse(List.of("--port", "81", "--name", "a b"), "8080"));
    assertEquals(new WhoamiOptions(82, "x"), WhoamiOptions.parse(List.of("--port=82", "--name=x"), null));
    assertThrows(IllegalArgumentException.class, () -> WhoamiOptions.parse(List.of("--port", "70000"), null));
    assertThrows(IllegalArgumentException.class, () -> WhoamiOptions.parse(List.of("--port"), null));
    assertThrows(IllegalArgumentException.class, () -> WhoamiOptions.parse(List.of("--verbose", "1"), null));
    assertThrows(IllegalArgumentException.class, () -> WhoamiOptions.parse(List.of(), "http"));
  }

  @Test
  void ipv6IsPrintedCompressedWithoutZone() throws Exception {
    assertEquals("::1", WhoamiAnswer.text(InetAddress.getByName("::1")));
    assertEquals("::", WhoamiAnswer.text(InetAddress.getByName("::")));
    assertEquals("fe80::1c2a:3bff:fe4d:5e6f", WhoamiAnswer.text(InetAddress.getByName("fe80:0:0:0:1c2a:3bff:fe4d:5e6f%1")));
    assertEquals("2001:db8::1:0:0:1", WhoamiAnswer.text(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
    assertEquals("2001:db8:0:1:1:1:1:1", WhoamiAnswer.text(InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
    assertEquals("1::", WhoamiAnswer.text(InetAddress.getByName("1:0:0:0:0:0:0:0")));
    assertEquals("10.0.0.3", WhoamiAnswer.text(InetAddress.getByName("10.0.0.3")));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + whoami.port() + path);
  }

  /** The witness: every {@code local} address of {@code ip -j addr show}. */
  private static Set<String> ipAddrLocals() throws Exception {
    Process p = new ProcessBuilder("ip", "-j", "addr", "show").redirectErrorStream(true).start();
    String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), json);
    Set<String> locals = new HashSet<>();
    for (JsonNode link : new ObjectMapper().readTree(json)) {
      for (JsonNode a : link.path("addr_info")) {
        locals.add(a.path("local").asText());
      }
    }
    return locals;
  }
}
