package meshplane.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a running lab is made of, kept as JSON in {@code /run/meshplane/labs/NAME.json} so that
 * {@code meshctl lab ls} and {@code exec} in a later process find it. /run is cleared at boot,
 * like the namespaces themselves. Teardown does not depend on this file: it finds the lab's
 * namespaces by prefix.
 */
public record LabState(String name, int nodes, List<LabHost> hosts) {
  public static final Path DIR = Path.of("/run/meshplane/labs");
  private static final ObjectMapper JSON = meshplane.json.JsonMappers.strict().enable(SerializationFeature.INDENT_OUTPUT);

  static Path file(String labName) {
    return DIR.resolve(labName + ".json");
  }

  void save() {
    try {
      Files.createDirectories(DIR);
      Path tmp = DIR.resolve(name + ".json.tmp");
      JSON.writeValue(tmp.toFile(), this);
      Files.move(tmp, file(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("save lab state " + file(name), e);
    }
  }

  static Optional<LabState> load(String labName) {
    Path f = file(labName);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(f.toFile(), LabState.class));
    } catch (IOException e) {
      throw new UncheckedIOException("read lab state " + f, e);
    }
  }

  static void remove(String labName) {
    try {
      Files.deleteIfExists(file(labName));
    } catch (IOException e) {
      throw new UncheckedIOException("remove lab state " + file(labName), e);
    }
  }

  /** The JSON text of this state, as {@code meshctl lab ls --json} prints it. */
  public String toJson() {
    try {
      return JSON.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
