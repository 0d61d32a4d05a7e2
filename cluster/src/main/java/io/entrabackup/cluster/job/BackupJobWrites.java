package io.entrabackup.cluster.job;

import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.backup.ObjectType;
import io.entrabackup.protocol.tenant.TenantEvents.BackupCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.BackupFailed;
import io.entrabackup.protocol.tenant.TenantEvents.BackupRunning;
import io.entrabackup.protocol.tenant.TenantEvents.BackupStarted;
import io.entrabackup.protocol.tenant.TenantEvents.TypeBackedUp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * What each event of a backup run writes to its job row in {@code jobs_by_account}, one statement per event, each at
 * its event's own time as its write time (the run's list of types aside, see the constructor). Two writers write the
 * same event: the tenant entity as it persists it (so the job list follows the job at once) and the job-directory
 * projection later (the catch-up when the first write was lost); the second is then the very same cells at the same
 * write time. And whatever order the writes of a run land in, Cassandra keeps for each cell the newest event's value:
 * a run shows running, not queued, once it runs.
 *
 * <p>Events of one run can fall in the same millisecond (event times are whole milliseconds: the entity truncates
 * them); the run's order (started, running, a type done, ended) is added in microseconds so they still order as they
 * happened. The API node's row for Backup Now ({@link JobsByAccount#announced}) is written as of the job id's time,
 * which is never after the start's.
 */
final class BackupJobWrites {

  private static final String KIND = JobKind.BACKUP.apiName();

  private final CassandraSession session;
  private final PreparedStatementCache started;
  private final PreparedStatementCache types;
  private final PreparedStatementCache running;
  private final PreparedStatementCache typeDone;
  private final PreparedStatementCache ended;

  BackupJobWrites(CassandraSession session, String keyspace) {
    this.session = session;
    String table = keyspace + ".jobs_by_account";
    String key = " WHERE account_id = ? AND kind = ? AND job_id = ?";
    this.started = new PreparedStatementCache(session, "INSERT INTO " + table + " (account_id, kind, job_id,"
        + " tenant_id, state, trigger, queued_at, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?");
    // The one cell written as of now: a list set twice at one write time keeps both copies of its elements (each
    // element is a cell of its own), so the projection's repeat would double the run's types. A run's types never
    // change, so the newest write of them is always right.
    this.types = new PreparedStatementCache(session, "UPDATE " + table + " SET types = ?" + key);
    this.running = new PreparedStatementCache(session, "UPDATE " + table + " USING TIMESTAMP ?"
        + " SET state = ?, started_at = ?" + key);
    this.typeDone = new PreparedStatementCache(session, "UPDATE " + table + " USING TIMESTAMP ?"
        + " SET progress[?] = ?, counts_by_type[?] = ?" + key);
    this.ended = new PreparedStatementCache(session, "UPDATE " + table + " USING TIMESTAMP ?"
        + " SET state = ?, outcome = ?, finished_at = ?, error = ?, counts = ?, graph = ?" + key);
  }

  /** Queued until its node gives it a slot; its types give "n of N types"; a scheduled run's request is itself. */
  CompletionStage<Done> write(BackupStarted event) {
    UUID jobId = UUID.fromString(event.runId());
    return write(started, event.account().value(), KIND, jobId, event.tenantId().value(), JobState.QUEUED.name(),
            event.trigger().name(), event.startedAt(), event.requestId().orElse(event.runId()),
            writeTime(event.startedAt(), 0))
        .thenCompose(done -> write(types, event.types().stream().map(ObjectType::apiName).toList(),
            event.account().value(), KIND, jobId));
  }

  CompletionStage<Done> write(BackupRunning event) {
    return write(running, writeTime(event.at(), 1), JobState.RUNNING.name(), event.at(), event.account().value(),
        KIND, UUID.fromString(event.runId()));
  }

  CompletionStage<Done> write(TypeBackedUp event) {
    String type = event.type().apiName();
    return write(typeDone, writeTime(event.at(), 2), type, event.counts().seen(), type,
        JobsByAccount.toJson(event.counts()), event.account().value(), KIND, UUID.fromString(event.runId()));
  }

  CompletionStage<Done> write(BackupCompleted event) {
    return write(ended, writeTime(event.finishedAt(), 3), JobState.COMPLETED.name(), JobState.COMPLETED.name(),
        event.finishedAt(), Optional.empty(), JobsByAccount.toJson(event.counts()), JobsByAccount.toJson(event.graph()),
        event.account().value(), KIND, UUID.fromString(event.runId()));
  }

  CompletionStage<Done> write(BackupFailed event) {
    return write(ended, writeTime(event.finishedAt(), 3), JobState.FAILED.name(), JobState.FAILED.name(),
        event.finishedAt(), Optional.of(event.error()), Optional.empty(), Optional.empty(), event.account().value(),
        KIND, UUID.fromString(event.runId()));
  }

  /** The event's time in microseconds, plus its place in the run ({@code rank}) for events of one millisecond. */
  private static long writeTime(Instant at, int rank) {
    return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000 + rank);
  }

  private CompletionStage<Done> write(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared -> session.executeWrite(JobsByAccount.bind(prepared, values)));
  }
}
