package meshplane.dns;

import java.util.List;
import java.util.Map;

/**
 * What one {@link DnsServer#apply} did: the namespaces that got a listener, those whose listener
 * was closed, and those that could not get one (namespace to reason; the others are served).
 */
public record DnsApplyReport(int names, List<String> opened, List<String> closed, Map<String, String> failed) {
  public DnsApplyReport {
    opened = List.copyOf(opened);
    closed = List.copyOf(closed);
    failed = Map.copyOf(failed);
  }
}
