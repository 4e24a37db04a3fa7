package meshplane.dns;

import meshplane.lab.HostCommand;
import meshplane.lab.LabHost;

/** dnsmasq on the lab's client host as the embedded DNS's upstream: every name under example.test is 192.0.2.7. */
final class LabDnsmasq {
  private LabDnsmasq() {}

  static Process start(LabHost client) {
    return HostCommand.start(client.namespace(), new ProcessBuilder("dnsmasq", "--keep-in-foreground", "--no-resolv",
        "--no-hosts", "--address=/example.test/192.0.2.7", "--listen-address=" + client.underlayAddress(),
        "--bind-interfaces", "--user=root", "--pid-file=", "--log-facility=-").redirectErrorStream(true));
  }
}
