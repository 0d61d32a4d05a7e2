package io.entrabackup.protocol.backup;

import io.entrabackup.protocol.approval.ApprovalView;
import io.entrabackup.protocol.download.DownloadView;
import io.entrabackup.protocol.restore.RestoreDetails;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One job as System Status lists it.
 *
 * @param kind {@code backup}, {@code download} or {@code restore} in JSON
 * @param progress objects seen so far per object type while running, final counts after
 * @param error why the job failed, for the operator
 * @param restore a restore job's object, version, requester and outcome (absent on other kinds)
 * @param download a download job's scope, file and link (absent on other kinds)
 * @param approval a four-eyes job's request and decision (absent on jobs that never waited for one)
 * @param tenantName the tenant's display name, as its account named it (absent while the tenant is not listed)
 * @param summary progress bars and throughput, from the same recorded figures as {@code progress} and counts
 * @param requestId the HTTP request that started the job ({@code X-Request-Id}), or its own id when none did: its log
 *     lines carry it, and its Graph requests send it as {@code client-request-id} (absent on jobs that do not keep it)
 */
public record JobView(
    String id,
    JobKind kind,
    String tenantId,
    JobState state,
    Optional<BackupTrigger> trigger,
    Instant queuedAt,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    Map<String, Long> progress,
    Map<String, TypeCounts> countsByType,
    TypeCounts counts,
    GraphTraffic graph,
    Optional<Long> durationMillis,
    Optional<String> error,
    Optional<RestoreDetails> restore,
    Optional<DownloadView> download,
    Optional<ApprovalView> approval,
    Optional<String> tenantName,
    JobProgress summary,
    Optional<String> requestId) {

  public JobView {
    requestId = requestId == null ? Optional.empty() : requestId;
  }

  /** A job without a request id. */
  public JobView(String id, JobKind kind, String tenantId, JobState state, Optional<BackupTrigger> trigger,
      Instant queuedAt, Optional<Instant> startedAt, Optional<Instant> finishedAt, Map<String, Long> progress,
      Map<String, TypeCounts> countsByType, TypeCounts counts, GraphTraffic graph, Optional<Long> durationMillis,
      Optional<String> error, Optional<RestoreDetails> restore, Optional<DownloadView> download,
      Optional<ApprovalView> approval, Optional<String> tenantName, JobProgress summary) {
    this(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType, counts, graph,
        durationMillis, error, restore, download, approval, tenantName, summary, Optional.empty());
  }

  /** A job without its tenant's name and progress summary (added by the read model). */
  public JobView(String id, JobKind kind, String tenantId, JobState state, Optional<BackupTrigger> trigger,
      Instant queuedAt, Optional<Instant> startedAt, Optional<Instant> finishedAt, Map<String, Long> progress,
      Map<String, TypeCounts> countsByType, TypeCounts counts, GraphTraffic graph, Optional<Long> durationMillis,
      Optional<String> error, Optional<RestoreDetails> restore, Optional<DownloadView> download,
      Optional<ApprovalView> approval) {
    this(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType, counts, graph,
        durationMillis, error, restore, download, approval, Optional.empty(), JobProgress.NONE);
  }

  /** A job without an approval. */
  public JobView(String id, JobKind kind, String tenantId, JobState state, Optional<BackupTrigger> trigger,
      Instant queuedAt, Optional<Instant> startedAt, Optional<Instant> finishedAt, Map<String, Long> progress,
      Map<String, TypeCounts> countsByType, TypeCounts counts, GraphTraffic graph, Optional<Long> durationMillis,
      Optional<String> error, Optional<RestoreDetails> restore, Optional<DownloadView> download) {
    this(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType, counts, graph,
        durationMillis, error, restore, download, Optional.empty(), Optional.empty(), JobProgress.NONE);
  }

  /** A job of a kind without kind-specific details (backups). */
  public JobView(String id, JobKind kind, String tenantId, JobState state, Optional<BackupTrigger> trigger,
      Instant queuedAt, Optional<Instant> startedAt, Optional<Instant> finishedAt, Map<String, Long> progress,
      Map<String, TypeCounts> countsByType, TypeCounts counts, GraphTraffic graph, Optional<Long> durationMillis,
      Optional<String> error) {
    this(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType, counts, graph,
        durationMillis, error, Optional.empty(), Optional.empty());
  }

  public JobView withRestore(Optional<RestoreDetails> details) {
    return new JobView(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType,
        counts, graph, durationMillis, error, details, download, approval, tenantName, summary, requestId);
  }

  public JobView withDownload(DownloadView details) {
    return new JobView(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType,
        counts, graph, durationMillis, error, restore, Optional.of(details), approval, tenantName, summary, requestId);
  }

  public JobView withApproval(Optional<ApprovalView> details) {
    return new JobView(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType,
        counts, graph, durationMillis, error, restore, download, details, tenantName, summary, requestId);
  }

  public JobView withTenantName(Optional<String> name) {
    return new JobView(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType,
        counts, graph, durationMillis, error, restore, download, approval, name, summary, requestId);
  }

  public JobView withSummary(JobProgress progressSummary) {
    return new JobView(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType,
        counts, graph, durationMillis, error, restore, download, approval, tenantName, progressSummary, requestId);
  }

  public JobView withRequestId(Optional<String> request) {
    return new JobView(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType,
        counts, graph, durationMillis, error, restore, download, approval, tenantName, summary, request);
  }
}
