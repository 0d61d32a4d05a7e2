package io.entrabackup.cluster.download.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** File names for object ids, safe on Windows, macOS and Linux. */
class SafeFileNamesTest {

  @Test
  void guidsStayAsTheyAre() {
    assertEquals("3f2504e0-4f89-41d3-9a0c-0305e82c3301", SafeFileNames.of("3f2504e0-4f89-41d3-9a0c-0305e82c3301"));
  }

  @Test
  void idsThatDifferOnlyInCaseGetDistinctNamesOnCaseInsensitiveFileSystems() {
    String upper = SafeFileNames.of("lAPpYvVpN0KRkAEhdxReEJC2sEqbR_9Hr48lds9SGHI-1");
    String lower = SafeFileNames.of("lappyvvpn0krkaehdxreejc2seqbr_9hr48lds9sghi-1");
    assertNotEquals(upper.toLowerCase(Locale.ROOT), lower.toLowerCase(Locale.ROOT));
  }

  @Test
  void unsafeCharactersReservedNamesAndLengthAreHandled() {
    for (String id : new String[] {"a/b\\c:d*e?f\"g<h>i|j", "con", "NUL", "..", "x".repeat(500), "名前"}) {
      String name = SafeFileNames.of(id);
      assertTrue(name.matches("[A-Za-z0-9_~-]{1,100}"), id + " -> " + name);
      assertTrue(name.contains("~"), id + " -> " + name);
    }
  }
}
