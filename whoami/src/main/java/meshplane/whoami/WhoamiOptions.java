package meshplane.whoami;

import java.util.List;

/** The arguments of {@link Whoami}: {@code --port N} (or {@code --port=N}) and {@code --name NAME}. */
record WhoamiOptions(int port, String name) {
  static final int DEFAULT_PORT = 80;

  /** {@code envPort} is {@code $WHOAMI_PORT} (may be null): the port when {@code --port} is not given. */
  static WhoamiOptions parse(List<String> args, String envPort) {
    int port = envPort == null || envPort.isBlank() ? DEFAULT_PORT : port(envPort, "WHOAMI_PORT");
    String name = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      String value;
      if (arg.contains("=")) {
        value = arg.substring(arg.indexOf('=') + 1);
      } else if (i + 1 < args.size()) {
        value = args.get(++i);
      } else {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      switch (flag) {
        case "--port", "-port" -> port = port(value, "--port");
        case "--name", "-name" -> name = value;
        default -> throw new IllegalArgumentException("unknown argument " + arg);
      }
    }
    return new WhoamiOptions(port, name);
  }

  private static int port(String text, String what) {
    try {
      int port = Integer.parseInt(text.strip());
      if (port < 0 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a port 0-65535, not '" + text + "'");
    }
  }
}
