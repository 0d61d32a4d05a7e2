package io.entrabackup.cluster.download;

import io.entrabackup.cluster.audit.AuditTrail;
import io.entrabackup.protocol.audit.AuditAction;
import io.entrabackup.protocol.audit.AuditOutcome;
import io.entrabackup.protocol.audit.NewAuditRecord;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.entrabackup.cluster.job.JobApprovals;
import io.entrabackup.cluster.job.JobsByAccount;
import io.entrabackup.cluster.job.JobsByAccount.Ending;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
import io.entrabackup.protocol.approval.ApprovalDecision;
import io.entrabackup.protocol.download.DownloadEvents.DownloadApprovalDecided;
import io.entrabackup.protocol.download.DownloadEvents.DownloadApprovalRequested;
import io.entrabackup.protocol.download.DownloadEvents.DownloadFailed;
import io.entrabackup.protocol.download.DownloadEvents.DownloadPublished;
import io.entrabackup.protocol.download.DownloadEvents.DownloadRequested;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;

/**
 * Download jobs' rows in System Status ({@code jobs_by_account}, kind {@code download}), written by
 * the job entity after each event (idempotent upserts, repeated after a recovery) and by the running
 * build for its progress. The JobStore reads them like any other job.
 */
public final class DownloadJobRows {

  private static final Logger log = LoggerFactory.getLogger(DownloadJobRows.class);

  /** Progress keys: objects written to the ZIP, and the estimate of how many it will hold. */
  public static final String OBJECTS_WRITTEN = "objectsWritten";
  public static final String OBJECTS_TOTAL = "objectsTotal";

  private final JobsByAccount jobs;
  private final DownloadBuildSlots slots;
  private final JobApprovals approvals;
  private final AuditTrail trail;

  public DownloadJobRows(CassandraSession session, String keyspace, DownloadBuildSlots slots) {
    this.jobs = new JobsByAccount(session, keyspace);
    this.slots = slots;
    this.approvals = new JobApprovals(session, keyspace);
    this.trail = new AuditTrail(session::underlying, keyspace);
  }

  /**
   * Four-eyes: the request expired unapproved, in the account's audit trail ({@code job.expired}, as a restore's
   * expiry is). Once, when the expiry is persisted; a failed append is logged, as the job itself is closed either way.
   */
  public void approvalExpired(DownloadApprovalRequested request, Instant at) {
    trail.append(new NewAuditRecord(request.account().value(), at, Optional.empty(), Optional.empty(),
            Optional.empty(), AuditAction.JOB_EXPIRED,
            Map.of("tenant", request.tenant().id().value(), "job", request.jobId()), AuditOutcome.REFUSED, 0))
        .exceptionally(error -> {
          log.warn("The expiry of download {}'s approval request could not be added to the audit trail: {}",
              request.jobId(), error.getMessage());
          return null;
        });
  }

  /** Four-eyes: the job waits for approval (its row, and who asked). */
  public CompletionStage<Done> awaiting(DownloadApprovalRequested request) {
    return approvals.requested(JobKind.DOWNLOAD, request.account(), request.jobId(), request.requestedBy(),
            request.reason(), request.requestedAt(), request.expiresAt())
        .thenCompose(done -> jobs.insert(JobKind.DOWNLOAD, request.account(), request.jobId(),
            request.tenant().id().value(), JobState.AWAITING_APPROVAL, Optional.empty(), request.requestedAt(),
            Optional.empty()));
  }

  /** Four-eyes: who decided (the row itself follows the job: running once approved, else closed here). */
  public CompletionStage<Done> decided(DownloadApprovalDecided decision) {
    return approvals.decided(decision.jobId(), decision.decision(), decision.decidedBy(), decision.decidedAt());
  }

  /** Four-eyes: rejected or expired; nothing was built. */
  public CompletionStage<Done> closed(DownloadApprovalRequested request, DownloadApprovalDecided decision) {
    JobState state = decision.decision() == ApprovalDecision.REJECTED ? JobState.REJECTED : JobState.EXPIRED;
    return awaiting(request).thenCompose(done -> decided(decision))
        .thenCompose(done -> jobs.ended(JobKind.DOWNLOAD, decision.account(), decision.jobId(),
            Ending.of(state, decision.decidedAt())));
  }

  /**
   * The job's row while it builds: queued while its build waits for a slot on this node, else running (the build
   * sets the start time when it gets its slot, {@link #started}). Checked again after writing "queued", so a slot
   * granted meanwhile is not hidden by it.
   */
  public CompletionStage<Done> running(DownloadRequested job) {
    if (!slots.isWaiting(job.jobId())) {
      return insert(job, JobState.RUNNING);
    }
    return insert(job, JobState.QUEUED).thenCompose(done -> slots.isWaiting(job.jobId())
        ? CompletableFuture.completedFuture(done)
        : insert(job, JobState.RUNNING));
  }

  /** The build waits for a slot (http-api/LIMITS.md): System Status shows the job queued. */
  CompletionStage<Done> queued(DownloadRequested job) {
    return insert(job, JobState.QUEUED);
  }

  /** The build got its slot and begins now; best effort, like progress. */
  CompletionStage<Done> started(DownloadRequested job, Instant startedAt) {
    return jobs.started(JobKind.DOWNLOAD, job.account(), job.jobId(), startedAt);
  }

  private CompletionStage<Done> insert(DownloadRequested job, JobState state) {
    return jobs.insert(JobKind.DOWNLOAD, job.account(), job.jobId(), job.tenant().id().value(), state,
            Optional.empty(), job.requestedAt(), Optional.empty())
        .thenCompose(done -> jobs.requestId(JobKind.DOWNLOAD, job.account(), job.jobId(),
            job.requestId().orElse(job.jobId())));
  }

  /** Best effort: a lost progress update is corrected by the next one. */
  public CompletionStage<Done> progress(AccountId account, String jobId, long written, long total) {
    return jobs.progress(JobKind.DOWNLOAD, account, jobId,
        Map.of(OBJECTS_WRITTEN, written, OBJECTS_TOTAL, Math.max(written, total)));
  }

  public CompletionStage<Done> published(DownloadPublished event) {
    long objects = event.file().objects();
    return jobs.ended(JobKind.DOWNLOAD, event.account(), event.jobId(), Ending.of(JobState.COMPLETED,
        event.publishedAt()).withProgress(Map.of(OBJECTS_WRITTEN, objects, OBJECTS_TOTAL, objects)));
  }

  public CompletionStage<Done> failed(DownloadFailed event) {
    return jobs.ended(JobKind.DOWNLOAD, event.account(), event.jobId(),
        Ending.of(JobState.FAILED, event.failedAt()).withError(event.reason()));
  }
}
