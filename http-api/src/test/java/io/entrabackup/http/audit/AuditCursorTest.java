package io.entrabackup.http.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The audit list's cursor reads back for its own trail only. */
class AuditCursorTest {

  @Test
  void aCursorReadsBackForItsTrailOnly() {
    String cursor = AuditCursor.of("msp", 42);
    assertEquals(Optional.of(42L), AuditCursor.parse("msp", cursor));
    assertEquals(Optional.empty(), AuditCursor.parse("other", cursor));
    assertEquals(Optional.empty(), AuditCursor.parse("msp", "%%%"));
    assertEquals(Optional.empty(), AuditCursor.parse("msp", AuditCursor.of("msp", 1)));
    assertEquals(Optional.empty(), AuditCursor.parse("msp", ""));
  }
}
