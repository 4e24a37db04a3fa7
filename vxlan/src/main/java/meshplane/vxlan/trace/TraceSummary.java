package meshplane.vxlan.trace;

/**
 * What a finished {@link VxlanTrace} saw.
 *
 * @param captured packets the BPF filter let through (UDP to the VXLAN port)
 * @param printed packets printed (and written to the dump file, if any)
 * @param malformed of those printed, the ones some part of which did not decode
 * @param otherVni packets skipped by the VNI filter
 * @param kernelDropped packets the kernel dropped because the capture's buffer was full, as
 *     libpcap's {@code pcap_stats} counts them; -1 if unknown
 * @param stop why the capture ended
 */
public record TraceSummary(long captured, long printed, long malformed, long otherVni, long kernelDropped, Stop stop) {

  /** Why a capture ended. */
  public enum Stop {
    /** {@code --count} packets were printed. */
    COUNT("count reached"),
    /** {@code --timeout} ran out. */
    TIMEOUT("timeout"),
    /** {@link VxlanTrace#stop} was called (Ctrl-C). */
    STOPPED("stopped");

    private final String text;

    Stop(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** One line for people: {@code 6 packets printed (0 malformed), 0 of other VNIs skipped, ...}. */
  public String describe() {
    return printed + " packets printed (" + malformed + " malformed), " + otherVni + " of other VNIs skipped, "
        + captured + " captured, " + (kernelDropped < 0 ? "unknown" : Long.toString(kernelDropped))
        + " dropped by the kernel; " + stop;
  }
}
