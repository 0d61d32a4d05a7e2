package io.entrabackup.protocol.backup;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which jobs System Status lists: of one tenant, in some states, created in a time range. Empty parts match every job.
 *
 * @param tenantId the tenant's id (the portal picks it by name)
 * @param states the states to list; empty lists every state
 * @param from jobs created at or after this instant (a job's id is a time-based UUID made as it was created)
 * @param toExclusive jobs created before this instant
 */
public record JobFilter(Optional<String> tenantId, Set<JobState> states, Optional<Instant> from,
    Optional<Instant> toExclusive) {

  public static final JobFilter NONE = new JobFilter(Optional.empty(), Set.of(), Optional.empty(), Optional.empty());

  public JobFilter {
    states = Set.copyOf(states);
  }

  /** Whether anything beyond the time range narrows the list (the time range is the read's own bounds). */
  public boolean narrowsRows() {
    return tenantId.isPresent() || !states.isEmpty();
  }

  /** Whether the job (its state as shown) passes the tenant and state parts. */
  public boolean matches(JobView job) {
    return tenantId.map(job.tenantId()::equals).orElse(true) && (states.isEmpty() || states.contains(job.state()));
  }
}
