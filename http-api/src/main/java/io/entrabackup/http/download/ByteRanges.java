package io.entrabackup.http.download;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The single byte range of a {@code Range} header (RFC 9110 section 14), resolved against the file's
 * size. Several ranges are answered with the whole file (allowed, and no download client asks for
 * them); a syntactically invalid header is ignored, as the RFC says.
 */
final class ByteRanges {

  private static final Pattern SINGLE = Pattern.compile("\\s*bytes\\s*=\\s*(\\d*)\\s*-\\s*(\\d*)\\s*");

  /** What to send: the whole file, bytes from..to (exclusive), or 416. */
  sealed interface Answer {}

  record Whole() implements Answer {}

  record Part(long from, long to) implements Answer {}

  record Unsatisfiable() implements Answer {}

  private ByteRanges() {}

  static Answer resolve(Optional<String> header, long size) {
    if (header.isEmpty()) {
      return new Whole();
    }
    Matcher m = SINGLE.matcher(header.get());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return new Whole();
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        return suffix == 0 || size == 0 ? new Unsatisfiable() : new Part(Math.max(0, size - suffix), size);
      }
      long first = Long.parseLong(m.group(1));
      long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
      if (!m.group(2).isEmpty() && Long.parseLong(m.group(2)) < first) {
        return new Whole();
      }
      return first >= size ? new Unsatisfiable() : new Part(first, last + 1);
    } catch (NumberFormatException tooLong) {
      return new Unsatisfiable();
    }
  }
}
