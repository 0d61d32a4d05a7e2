package io.entrabackup.http.job;

import io.entrabackup.http.TimeRange;
import io.entrabackup.protocol.TenantId;
import io.entrabackup.protocol.backup.JobFilter;
import io.entrabackup.protocol.backup.JobState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

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
    TimeRange range = TimeRange.parse(from, to);
    boolean outOfRange = Stream.of(range.from(), range.toExclusive()).flatMap(Optional::stream)
        .anyMatch(instant -> instant.isBefore(EARLIEST) || instant.isAfter(LATEST));
    if (outOfRange) {
      throw new IllegalArgumentException(TimeRange.FORMAT);
    }
    return new JobFilter(tenantId, states(state), range.from(), range.toExclusive());
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
}
