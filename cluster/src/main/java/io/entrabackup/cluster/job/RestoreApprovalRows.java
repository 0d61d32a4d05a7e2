package io.entrabackup.cluster.job;

import io.entrabackup.cluster.job.JobsByAccount.Ending;
import io.entrabackup.cluster.store.PreparedStatementCache;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalExpired;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalRejected;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApprovalRequested;
import io.entrabackup.protocol.tenant.TenantEvents.RestoreApproved;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Four-eyes restores on System Status, from the tenants' approval events: the job's row (awaiting_approval, then
 * running or queued once approved, rejected or expired otherwise), its restore facts (as any restore's) and its
 * approval. Idempotent upserts: the projection may deliver an event twice.
 */
public final class RestoreApprovalRows {

  private final CassandraSession session;
  private final JobsByAccount jobs;
  private final JobApprovals approvals;
  private final PreparedStatementCache insertDetails;

  public RestoreApprovalRows(CassandraSession session, String keyspace) {
    this.session = session;
    this.jobs = new JobsByAccount(session, keyspace);
    this.approvals = new JobApprovals(session, keyspace);
    // The same facts RestoreJobs writes for a restore asked for without approval.
    insertDetails = new PreparedStatementCache(session, "INSERT INTO " + keyspace + ".restore_jobs (job_id,"
        + " object_type, object_id, version_id, requested_by) VALUES (?, ?, ?, ?, ?)");
  }

  /**
   * Also written by the API node as it answers the request (the projection follows the journal seconds later), so
   * that a second key can approve a job as soon as its id is known; the projection's write is the same upsert.
   */
  public CompletionStage<Done> record(RestoreApprovalRequested event) {
    return insertDetails.get()
        .thenCompose(s -> session.executeWrite(s.bind(UUID.fromString(event.jobId()), event.type().apiName(),
            event.objectId(), event.versionId(), event.requestedBy())))
        .thenCompose(done -> approvals.requested(JobKind.RESTORE, event.account(), event.jobId(),
            event.requestedBy(), event.reason(), event.requestedAt(), event.expiresAt()))
        .thenCompose(done -> jobs.insert(JobKind.RESTORE, event.account(), event.jobId(), event.tenantId().value(),
            JobState.AWAITING_APPROVAL, Optional.empty(), event.requestedAt(), Optional.empty()));
  }

  CompletionStage<Done> record(RestoreApproved event) {
    return approvals.decided(event.jobId(), ApprovalDecision.APPROVED, Optional.of(event.approvedBy()),
            event.approvedAt())
        .thenCompose(done -> event.queued()
            ? jobs.state(JobKind.RESTORE, event.account(), event.jobId(), JobState.QUEUED)
            : jobs.started(JobKind.RESTORE, event.account(), event.jobId(), event.approvedAt()));
  }

  CompletionStage<Done> record(RestoreApprovalRejected event) {
    return approvals.decided(event.jobId(), ApprovalDecision.REJECTED, Optional.of(event.rejectedBy()),
            event.rejectedAt())
        .thenCompose(done -> jobs.ended(JobKind.RESTORE, event.account(), event.jobId(),
            Ending.of(JobState.REJECTED, event.rejectedAt())));
  }

  CompletionStage<Done> record(RestoreApprovalExpired event) {
    return approvals.decided(event.jobId(), ApprovalDecision.EXPIRED, Optional.empty(), event.expiredAt())
        .thenCompose(done -> jobs.ended(JobKind.RESTORE, event.account(), event.jobId(),
            Ending.of(JobState.EXPIRED, event.expiredAt())));
  }
}
