package io.entrabackup.http.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The audit list's cursor: opaque to clients, it names the trail it was given out for and the sequence number the
 * next page lists below. One made for another trail (another account's) is refused, not silently reused.
 */
final class AuditCursor {

  private static final String PREFIX = "audit1:";

  private AuditCursor() {}

  static String of(String trail, long below) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((PREFIX + trail + ":" + below).getBytes(StandardCharsets.UTF_8));
  }

  /** The sequence to list below; empty when the text is not a cursor of this trail. */
  static Optional<Long> parse(String trail, String text) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(text.strip()), StandardCharsets.UTF_8);
      String expected = PREFIX + trail + ":";
      if (!decoded.startsWith(expected)) {
        return Optional.empty();
      }
      long below = Long.parseLong(decoded.substring(expected.length()));
      return below > 1 ? Optional.of(below) : Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
