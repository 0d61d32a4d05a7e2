package io.entrabackup.cluster.download;

import io.entrabackup.cluster.job.JobsByAccount;
import io.entrabackup.cluster.job.JobsByAccount.Ending;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.protocol.backup.JobKind;
import io.entrabackup.protocol.backup.JobState;
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

  /** Progress keys: objects written to the ZIP, and the estimate of how many it will hold. */
  public static final String OBJECTS_WRITTEN = "objectsWritten";
  public static final String OBJECTS_TOTAL = "objectsTotal";

  private final JobsByAccount jobs;
  private final DownloadBuildSlots slots;

  public DownloadJobRows(CassandraSession session, String keyspace, DownloadBuildSlots slots) {
    this.jobs = new JobsByAccount(session, keyspace);
    this.slots = slots;
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
        Optional.empty(), job.requestedAt(), Optional.empty());
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
