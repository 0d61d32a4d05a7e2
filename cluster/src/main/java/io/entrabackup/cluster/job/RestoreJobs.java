package io.entrabackup.cluster.job;

import com.datastax.oss.driver.api.core.cql.Row;
import io.entrabackup.cluster.job.JobsByAccount.Ending;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.restore.RestoreAction;
import io.entrabackup.protocol.restore.RestoreDetails;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreCompleted;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreFailed;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreObjectRecreated;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreRequested;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreStarted;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Restore jobs on System Status: their rows in {@code jobs_by_account} (kind {@code restore}) and their own facts in
 * {@code restore_jobs}, both written from the tenant's restore events, so the audit trail the API shows is the one in
 * the journal. Each write is an idempotent upsert: the projection may deliver an event twice.
 */
public final class RestoreJobs {

  private final CassandraSession session;
  private final JobsByAccount jobs;
  private final PreparedStatementCache insertDetails;
  private final PreparedStatementCache updateRecreated;
  private final PreparedStatementCache updateOutcome;
  private final PreparedStatementCache selectDetails;
  private final RestoreApprovalRows approvalRows;

  public RestoreJobs(CassandraSession session, String keyspace) {
    this.session = session;
    this.approvalRows = new RestoreApprovalRows(session, keyspace);
    this.jobs = new JobsByAccount(session, keyspace);
    String details = keyspace + ".restore_jobs";
    insertDetails = prepare("INSERT INTO " + details + " (job_id, object_type, object_id, version_id, requested_by)"
        + " VALUES (?, ?, ?, ?, ?)");
    updateRecreated = prepare("UPDATE " + details + " SET new_object_id = ? WHERE job_id = ?");
    updateOutcome = prepare("UPDATE " + details + " SET action = ?, changes = ?, skipped = ?, new_object_id = ?"
        + " WHERE job_id = ?");
    selectDetails = prepare("SELECT object_type, object_id, version_id, requested_by, action, new_object_id, changes,"
        + " skipped FROM " + details + " WHERE job_id = ?");
  }

  private PreparedStatementCache prepare(String cql) {
    return new PreparedStatementCache(session, cql);
  }

  /** The rows of four-eyes restores (the same tables, written from the approval events). */
  RestoreApprovalRows approvalRows() {
    return approvalRows;
  }

  CompletionStage<Done> record(RestoreRequested event) {
    UUID id = UUID.fromString(event.jobId());
    return write(insertDetails, id, event.type().apiName(), event.objectId(), event.versionId(), event.requestedBy())
        .thenCompose(done -> jobs.insert(JobKind.RESTORE, event.account(), event.jobId(), event.tenantId().value(),
            event.queued() ? JobState.QUEUED : JobState.RUNNING, Optional.empty(), event.requestedAt(),
            event.queued() ? Optional.empty() : Optional.of(event.requestedAt())))
        .thenCompose(done -> jobs.requestId(JobKind.RESTORE, event.account(), event.jobId(),
            event.requestId().orElse(event.jobId())));
  }

  CompletionStage<Done> record(RestoreStarted event) {
    return jobs.started(JobKind.RESTORE, event.account(), event.jobId(), event.startedAt());
  }

  CompletionStage<Done> record(RestoreObjectRecreated event) {
    return write(updateRecreated, event.newObjectId(), UUID.fromString(event.jobId()));
  }

  CompletionStage<Done> record(RestoreCompleted event) {
    UUID id = UUID.fromString(event.jobId());
    JobState state = event.skipped() > 0 ? JobState.COMPLETED_WITH_SKIPPED_ITEMS : JobState.COMPLETED;
    return write(updateOutcome, event.action().apiName(), event.changes(), event.skipped(),
        event.newObjectId().orElse(null), id)
        .thenCompose(done -> jobs.ended(JobKind.RESTORE, event.account(), event.jobId(),
            Ending.of(state, event.finishedAt()).withGraph(event.graph())));
  }

  CompletionStage<Done> record(RestoreFailed event) {
    return jobs.ended(JobKind.RESTORE, event.account(), event.jobId(),
        Ending.of(JobState.FAILED, event.finishedAt()).withError(event.error()).withGraph(event.graph()));
  }

  /** The restore's facts; empty for a job that is not a restore (or not projected yet). */
  public CompletionStage<Optional<RestoreDetails>> details(String jobId) {
    return selectDetails.get()
        .thenCompose(s -> session.selectOne(s.bind(UUID.fromString(jobId))))
        .thenApply(row -> row.map(RestoreJobs::details));
  }

  private static RestoreDetails details(Row row) {
    return new RestoreDetails(row.getString("object_type"), row.getString("object_id"), row.getString("version_id"),
        row.getString("requested_by"), Optional.ofNullable(row.getString("action")).map(RestoreAction::fromApiName),
        Optional.ofNullable(row.getString("new_object_id")), row.isNull("changes") ? 0 : row.getLong("changes"),
        row.isNull("skipped") ? 0 : row.getLong("skipped"), Optional.empty());
  }

  private CompletionStage<Done> write(PreparedStatementCache statement, Object... values) {
    return statement.get().thenCompose(prepared -> session.executeWrite(prepared.bind(values)));
  }

  static CompletionStage<Done> done() {
    return CompletableFuture.completedFuture(Done.getInstance());
  }
}
