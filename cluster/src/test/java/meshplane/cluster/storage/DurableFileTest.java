package meshplane.cluster.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A durable write replaces the file whole, or fails and leaves the old one and no temporary file. */
@Tag("unit")
class DurableFileTest {
  private Path dir;
  private Path file;

  @BeforeEach
  void folder() throws IOException {
    dir = Files.createTempDirectory("mpt-durable-");
    file = dir.resolve("node.json");
  }

  @AfterEach
  void remove() throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void replacesTheFileWhole() throws IOException {
    DurableFile.write(file, "old".getBytes(StandardCharsets.UTF_8));
    DurableFile.write(file, "new content".getBytes(StandardCharsets.UTF_8));
    assertEquals("new content", Files.readString(file));
    assertEquals(List.of(file), files());
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void aWriterThatThrowsHalfwayLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    DurableFile.write(file, "old".getBytes(StandardCharsets.UTF_8));
    IOException e = assertThrows(IOException.class, () -> DurableFile.write(file, DurableFile.READABLE, out -> {
      out.write("half of the new".getBytes(StandardCharsets.UTF_8));
      throw new IOException("No space left on device");
    }));
    assertEquals("cannot write " + file + ": No space left on device", e.getMessage());
    assertEquals("old", Files.readString(file));
    assertEquals(List.of(file), files());
  }

  @Test
  void aRuntimeExceptionHalfwayLeavesTheOldFileAndIsRethrown() throws IOException {
    DurableFile.write(file, "old".getBytes(StandardCharsets.UTF_8));
    UncheckedIOException thrown = new UncheckedIOException(new IOException("serializer failed"));
    UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> DurableFile.write(file,
        DurableFile.READABLE, out -> {
          out.write('{');
          throw thrown;
        }));
    assertSame(thrown, e);
    assertEquals("old", Files.readString(file));
    assertEquals(List.of(file), files());
  }

  @Test
  void aTemporaryFileLeftByACrashIsReplaced() throws IOException {
    Files.writeString(DurableFile.temporary(file), "torn");
    DurableFile.write(file, "whole".getBytes(StandardCharsets.UTF_8));
    assertEquals("whole", Files.readString(file));
    assertEquals(List.of(file), files());
  }

  @Test
  void aPrivateFileIsNeverReadableByOthersOnTheWay() throws IOException {
    DurableFile.write(file, DurableFile.PRIVATE, out -> {
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(DurableFile.temporary(file))));
      out.write("key".getBytes(StandardCharsets.UTF_8));
    });
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void aMissingFolderFailsNamingTheFile() {
    Path missing = dir.resolve("nope").resolve("f.json");
    IOException e = assertThrows(IOException.class, () -> DurableFile.write(missing, new byte[] {1}));
    assertTrue(e.getMessage().startsWith("cannot write " + missing + ": "), e.getMessage());
    assertFalse(Files.exists(missing.getParent()));
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
