package meshplane.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import meshplane.testkit.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A tmpfs on a folder of the test's own, witnessed with findmnt; unmounted afterwards also on failure. */
@Tag("kernel")
class TmpfsKernelTest {
  private static final String SOURCE = "meshplane-tmpfs-test";
  private Path dir;

  @BeforeEach
  void folder() throws Exception {
    dir = Files.createTempDirectory("mp-tmpfs-");
  }

  @AfterEach
  void cleanUp() throws Exception {
    Command.run("umount", "-l", dir.toString());
    Files.deleteIfExists(dir.resolve("f"));
    Files.deleteIfExists(dir);
  }

  private String findmnt(String column) {
    return Command.run("findmnt", "-n", "-o", column, "--mountpoint", dir.toString()).output().strip();
  }

  @Test
  void mountsOnceWithItsSizeAndUnmountsItsOwn() throws Exception {
    assertTrue(Tmpfs.mount(SOURCE, dir, 8L << 20));
    assertEquals("tmpfs " + SOURCE, findmnt("FSTYPE,SOURCE").replaceAll("\\s+", " "));
    assertTrue(findmnt("OPTIONS").contains("size=8192k"), findmnt("OPTIONS"));
    assertTrue(findmnt("OPTIONS").contains("nosuid") && findmnt("OPTIONS").contains("nodev"), findmnt("OPTIONS"));
    assertTrue(Tmpfs.mounted(SOURCE, dir));
    assertFalse(Tmpfs.mount(SOURCE, dir, 8L << 20), "a mount point already: nothing is stacked on it");
    assertEquals(1, findmnt("SOURCE").lines().count());

    Files.writeString(dir.resolve("f"), "x");
    assertFalse(Tmpfs.unmount("meshplane-other", dir), "another source's mount is not this one's to remove");
    assertTrue(Tmpfs.unmount(SOURCE, dir));
    assertEquals("", findmnt("SOURCE"));
    assertFalse(Files.exists(dir.resolve("f")), "the files went with the tmpfs");
    assertFalse(Tmpfs.unmount(SOURCE, dir), "nothing left to unmount");
  }

  @Test
  void aPrivateOneDoesNotPropagate() throws Exception {
    assertTrue(Tmpfs.mountPrivate(SOURCE, dir, 1L << 20));
    assertEquals("private", findmnt("PROPAGATION"));
    assertTrue(Tmpfs.unmount(SOURCE, dir));
    assertEquals("", findmnt("SOURCE"));
  }

  @Test
  void aSizeUnderOneMebibyteIsRefusedAndMountsNothing() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tmpfs.mount(SOURCE, dir, 4096));
    assertTrue(e.getMessage().contains("at least 1 MiB") && e.getMessage().contains(dir.toString()), e.getMessage());
    assertFalse(Tmpfs.isMountPoint(dir));
  }
}
