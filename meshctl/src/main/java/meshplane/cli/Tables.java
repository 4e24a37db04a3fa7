package meshplane.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Columns aligned as docker prints them (Go's tabwriter with min width 10 and padding 3): each
 * column as wide as its widest cell plus 3 (at least 10), the last one unpadded.
 */
final class Tables {
  static final int MIN_WIDTH = 10;
  static final int PADDING = 3;

  private Tables() {}

  static String render(List<String> headers, List<List<String>> rows) {
    List<List<String>> all = new ArrayList<>();
    all.add(headers);
    all.addAll(rows);
    int[] width = new int[headers.size()];
    for (List<String> r : all) {
      for (int i = 0; i < width.length && i < r.size(); i++) {
        width[i] = Math.max(width[i], Math.max(MIN_WIDTH, cell(r, i).length() + PADDING));
      }
    }
    StringBuilder out = new StringBuilder();
    for (List<String> r : all) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        String c = cell(r, i);
        line.append(c);
        if (i < width.length - 1) {
          line.append(" ".repeat(width[i] - c.length()));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }

  private static String cell(List<String> r, int i) {
    String c = i < r.size() ? r.get(i) : "";
    return c == null ? "" : c;
  }
}
