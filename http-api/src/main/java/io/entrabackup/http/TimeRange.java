package io.entrabackup.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A list's {@code from} and {@code to} query parameters (the audit trail, System Status): ISO-8601 times, or dates
 * meaning the whole day, {@code to} inclusive; held as a start and an exclusive end.
 */
public record TimeRange(Optional<Instant> from, Optional<Instant> toExclusive) {

  public static final String FORMAT =
      "from and to must be ISO-8601 times (2026-12-06T10:00:00Z) or dates (2026-12-06)";

  /** The range, or {@link IllegalArgumentException} with what to fix (a 400's detail). */
  public static TimeRange parse(Optional<String> from, Optional<String> to) {
    TimeRange range;
    try {
      range = new TimeRange(from.map(text -> time(text, false)), to.map(text -> time(text, true)));
    } catch (DateTimeException | ArithmeticException e) {
      // Unparseable, or a time at the edge of what an Instant holds.
      throw new IllegalArgumentException(FORMAT);
    }
    if (range.from.isPresent() && range.toExclusive.isPresent()
        && !range.from.get().isBefore(range.toExclusive.get())) {
      throw new IllegalArgumentException("from must be before to");
    }
    return range;
  }

  /** Whether {@code at} is in the range. */
  public boolean contains(Instant at) {
    return from.map(start -> !at.isBefore(start)).orElse(true)
        && toExclusive.map(end -> at.isBefore(end)).orElse(true);
  }

  /** An instant, or a date meaning its start ({@code from}) or the start of the day after ({@code to}). */
  private static Instant time(String text, boolean end) {
    String value = text.strip();
    if (value.length() == 10) {
      LocalDate date = LocalDate.parse(value);
      return (end ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
    Instant instant = Instant.parse(value);
    return end ? instant.plus(1, ChronoUnit.MILLIS) : instant;
  }
}
