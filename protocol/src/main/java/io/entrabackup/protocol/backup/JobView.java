package io.entrabackup.protocol.backup;

import io.entrabackup.protocol.download.DownloadView;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One job as System Status lists it.
 *
 * @param kind {@code backup} (later {@code download}, {@code restore})
 * @param progress objects seen so far per object type while running, final counts after
 * @param error why the job failed, for the operator
 * @param download a download job's scope, file and link
 */
public record JobView(
    String id,
    String kind,
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
    Optional<DownloadView> download) {

  /** A job without kind-specific details (backups). */
  public JobView(String id, String kind, String tenantId, JobState state, Optional<BackupTrigger> trigger,
      Instant queuedAt, Optional<Instant> startedAt, Optional<Instant> finishedAt, Map<String, Long> progress,
      Map<String, TypeCounts> countsByType, TypeCounts counts, GraphTraffic graph, Optional<Long> durationMillis,
      Optional<String> error) {
    this(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType, counts, graph,
        durationMillis, error, Optional.empty());
  }

  public JobView withDownload(DownloadView details) {
    return new JobView(id, kind, tenantId, state, trigger, queuedAt, startedAt, finishedAt, progress, countsByType,
        counts, graph, durationMillis, error, Optional.of(details));
  }
}
