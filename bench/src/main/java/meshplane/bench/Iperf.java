package meshplane.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import meshplane.lab.HostCommand;

/**
 * One iperf3 TCP measurement between two namespaces: a one-shot server in {@code serverNs}, a
 * client in {@code clientNs} for a bounded time; the result is the receiver's Gbit/s.
 */
final class Iperf {
  private static final ObjectMapper JSON = meshplane.json.JsonMappers.lenient(); // iperf3's report, not ours

  private Iperf() {}

  static double gbits(String clientNs, String serverNs, String serverIp, int seconds) {
    Process server = HostCommand.start(serverNs, new ProcessBuilder("iperf3", "-s", "-1", "-p", "5201")
        .redirectErrorStream(true));
    try {
      HostCommand.Result r = null;
      for (int attempt = 0; attempt < 20; attempt++) {
        r = HostCommand.run(clientNs, seconds + 20,
            List.of("iperf3", "-c", serverIp, "-p", "5201", "-t", Integer.toString(seconds), "-J"));
        if (r.ok()) {
          break;
        }
        Thread.sleep(150); // the server is not listening yet
      }
      JsonNode j = JSON.readTree(r.output());
      if (!r.ok() || j.has("error")) {
        throw new IllegalStateException("iperf3 " + clientNs + " -> " + serverIp + ": " + j.path("error").asText(r.output()));
      }
      return j.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e9;
    } catch (IOException e) {
      throw new IllegalStateException("iperf3 printed no JSON", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } finally {
      server.destroyForcibly();
      try {
        server.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
