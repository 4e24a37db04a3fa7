package meshplane.nettyio;

import java.util.Locale;

/** Which Netty transport to use: {@code auto} (io_uring, else epoll), or one forced. */
public enum TransportChoice {
  AUTO,
  IO_URING,
  EPOLL;

  /** {@code auto}, {@code io_uring} or {@code epoll} (any case); anything else names the rule. */
  public static TransportChoice parse(String text, String field) {
    String t = text == null ? "auto" : text.toLowerCase(Locale.ROOT);
    return switch (t) {
      case "auto" -> AUTO;
      case "io_uring", "io-uring", "iouring" -> IO_URING;
      case "epoll" -> EPOLL;
      default -> throw new IllegalArgumentException(field + " \"" + text + "\" must be auto, io_uring or epoll");
    };
  }

  public String lower() {
    return name().toLowerCase(Locale.ROOT);
  }
}
