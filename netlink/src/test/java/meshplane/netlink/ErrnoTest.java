package meshplane.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** errno values print by name, so an error says EEXIST rather than 17. */
@Tag("unit")
class ErrnoTest {

  @Test
  void namesOfTheErrorsNetlinkReturns() {
    assertEquals("EPERM", Errno.name(Errno.EPERM));
    assertEquals("ENOENT", Errno.name(Errno.ENOENT));
    assertEquals("EEXIST", Errno.name(17));
    assertEquals("ENODEV", Errno.name(19));
    assertEquals("EINVAL", Errno.name(22));
    assertEquals("ERANGE", Errno.name(34));
    assertEquals("EOPNOTSUPP", Errno.name(95));
    assertEquals("EADDRNOTAVAIL", Errno.name(99));
    assertEquals("ENOBUFS", Errno.name(105));
    assertEquals("ETIMEDOUT", Errno.name(110));
    assertEquals("ENOTSUPP", Errno.name(524), "the kernel-internal 524 some drivers leak");
  }

  @Test
  void anUnknownNumberStillPrints() {
    assertEquals("errno 4095", Errno.name(4095));
  }

  @Test
  void descriptionsComeFromTheCLibrary() {
    assertEquals("File exists", Errno.describe(Errno.EEXIST));
    assertEquals("No such device", Errno.describe(Errno.ENODEV));
  }
}
