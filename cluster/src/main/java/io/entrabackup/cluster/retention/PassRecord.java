package io.entrabackup.cluster.retention;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's current or last retention pass as its row holds it.
 *
 * @param checkpoint where a resumed pass goes on from (the type, bucket and last object done)
 * @param figures its figures as of the checkpoint
 */
record PassRecord(String tenantId, String accountId, UUID jobId, String owner, Instant beatAt, Instant startedAt,
    Optional<Instant> finishedAt, boolean finished, Instant cutoff, int keepDays, String trigger,
    Optional<Checkpoint> checkpoint, RetentionFigures figures, Optional<String> deferred) {

  /** Where a pass stands: every object before it (types in backup order, buckets, ids) is done. */
  record Checkpoint(String type, int bucket, String objectId) {}
}
