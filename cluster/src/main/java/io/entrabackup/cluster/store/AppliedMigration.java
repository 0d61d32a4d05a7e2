package io.entrabackup.cluster.store;

import java.time.Duration;
import java.time.Instant;

/**
 * One row of a keyspace's {@code schema_versions} table: a migration as it was applied.
 *
 * @param version the migration's version
 * @param description its description then
 * @param checksum the checksum of its statements then ({@link Migration#checksum()})
 * @param appliedAt when it was recorded
 * @param appliedBy host, process id and which command ("deploy/schema", "node")
 * @param took how long its statements took
 * @param how "applied", or "recognised" for the baseline of a keyspace made before versioned migrations
 */
public record AppliedMigration(int version, String description, String checksum, Instant appliedAt, String appliedBy,
    Duration took, String how) {

  public static final String APPLIED = "applied";
  public static final String RECOGNISED = "recognised";
}
