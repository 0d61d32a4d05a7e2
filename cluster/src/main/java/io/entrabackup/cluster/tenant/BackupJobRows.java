package io.entrabackup.cluster.tenant;

import io.entrabackup.protocol.tenant.TenantEvents.Event;
import java.util.List;

/**
 * System Status's rows of a tenant's backup jobs, written by the entity as it persists a run's events, so the job
 * list follows its job at once. The job-directory projection writes the same rows from the journal later: the
 * catch-up when a write here is lost (Cassandra refused it, the node died before it landed).
 */
public interface BackupJobRows {

  /** Writes nothing: the projection alone keeps the rows (entity tests, tools). */
  BackupJobRows NONE = events -> { };

  /** The events just persisted; those of a backup run change its row. Returns at once: the writes go on behind. */
  void persisted(List<? extends Event> events);
}
