package meshplane.ipvs;

/**
 * The connection timeouts of a namespace's IPVS, in seconds, as {@code ipvsadm --set TCP TCPFIN UDP}
 * sets them (IPVS_CMD_ATTR_TIMEOUT_TCP, _TCP_FIN, _UDP). When setting, 0 leaves a value as it is.
 */
public record IpvsTimeouts(int tcp, int tcpFin, int udp) {
  public IpvsTimeouts {
    if (tcp < 0 || tcpFin < 0 || udp < 0) {
      throw new IllegalArgumentException("IPVS timeouts " + tcp + " " + tcpFin + " " + udp + " must not be negative");
    }
  }
}
