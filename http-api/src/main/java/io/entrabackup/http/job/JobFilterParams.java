package io.entrabackup.http.job;

import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobState;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * System Status's list filters from the query: {@code tenant} (a tenant id), {@code state} (one or more states,
 * comma-separated), {@code from} and {@code to} (ISO-8601 times, or dates meaning the whole day; {@code to} inclusive).
 */
final class JobFilterParams {

  /** Job ids are time-based UUIDs: their clock runs from 1582 to 5236; a range outside today's years is a typo. */
  private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("3000-01-01T00:00:00Z");

  private JobFilterParams() {}

  /** The filter, or {@link IllegalArgumentException} with what to fix (a 400's detail). */
  static JobFilter parse(Optional<String> tenant, Optional<String> state, Optional<String> from,
      Optional<String> to) {
    Optional<String> tenantId;
    try {
      tenantId = tenant.map(text -> TenantId.parse(text).value());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("tenant: " + e.getMessage());
    }
    Optional<Instant> start;
    Optional<Instant> endExclusive;
    try {
      start = from.map(text -> time(text, false));
      endExclusive = to.map(text -> time(text, true));
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("from and to must be ISO-8601 times (2026-12-06T10:00:00Z) or dates"
          + " (2026-12-06)");
    }
    if (start.isPresent() && endExclusive.isPresent() && !start.get().isBefore(endExclusive.get())) {
      throw new IllegalArgumentException("from must be before to");
    }
    return new JobFilter(tenantId, states(state), start, endExclusive);
  }

  private static Set<JobState> states(Optional<String> text) {
    Set<JobState> states = EnumSet.noneOf(JobState.class);
    if (text.isEmpty()) {
      return states;
    }
    for (String name : text.get().split(",", -1)) {
      states.add(JobState.fromApiName(name.strip()).orElseThrow(() ->
          new IllegalArgumentException("state must be one or more (comma-separated) of " + JobState.names())));
    }
    return states;
  }

  /** An instant, or a date meaning its start ({@code from}) or the start of the day after ({@code to}). */
  private static Instant time(String text, boolean end) {
    String value = text.strip();
    Instant instant;
    if (value.length() == 10) {
      LocalDate date = LocalDate.parse(value);
      instant = (end ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
    } else {
      instant = Instant.parse(value);
      instant = end ? instant.plus(1, ChronoUnit.MILLIS) : instant;
    }
    if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
      throw new DateTimeException("out of range");
    }
    return instant;
  }
}
